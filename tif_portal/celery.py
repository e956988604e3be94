"""The Celery app: one worker pool and one beat for every app's tasks."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tif_portal.settings")

app = Celery("tif_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work reads due rows from the database; nothing waits on the broker.
app.conf.beat_schedule = {
    "outbox-sweep": {"task": "tif_portal.tasks.outbox_sweep", "schedule": 60.0},
}


@task_prerun.connect
@task_postrun.connect
def _close_stale_connections(**kwargs):
    # Workers outlive database restarts; drop connections that went bad.
    from django.db import close_old_connections

    close_old_connections()
