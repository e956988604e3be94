"""The Celery app: one worker pool and one beat for every app's tasks."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun, worker_ready
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tif_portal.settings")

app = Celery("tif_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The outbox is plumbing, not an app: its tasks are named here.
app.conf.imports = ["tif_portal.outbox.tasks"]

# Periodic work reads due rows from the database; nothing waits on the broker.
app.conf.beat_schedule = {
    "outbox-sweep": {"task": "tif_portal.outbox.tasks.outbox_sweep", "schedule": settings.OUTBOX_SWEEP_SECONDS},
    "meeting-reminders": {"task": "meetings.tasks.send_meeting_reminders", "schedule": 3600.0},
    "followup-daily": {"task": "followup.tasks.followup_daily", "schedule": crontab(hour=6, minute=15)},
    "actions-digest-weekly": {
        "task": "followup.tasks.actions_digest_weekly",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    "privacy-retention-daily": {"task": "knowledge.tasks.privacy_retention", "schedule": crontab(hour=3, minute=30)},
}


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
