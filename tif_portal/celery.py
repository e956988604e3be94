"""The Celery app: one worker pool and one beat for every app's tasks."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tif_portal.settings")

app = Celery("tif_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The settings (CELERY_BEAT_SCHEDULE among them) are read when the app first needs them, not on
# import: a program that chooses its database before Django starts (the benchmarks) can import it.

@task_prerun.connect
@task_postrun.connect
def _close_stale_connections(**kwargs):
    # Workers outlive database restarts; drop connections that went bad. A task run
    # eagerly inside an open transaction (tests) must not close the caller's connection.
    from django.db import close_old_connections, connection

    if not connection.in_atomic_block:
        close_old_connections()


@worker_ready.connect
def _deliver_what_waits(**kwargs):
    # A worker that starts (again, after a crash or a deploy) delivers what is due at once
    # instead of waiting for the next sweep.
    from tif_portal.outbox.tasks import outbox_sweep

    outbox_sweep.apply_async(retry=False)
