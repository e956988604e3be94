"""Letters to many recipients, as a background job the coordinator follows.

The contacts are split into parts, workers render the parts in parallel
(``meetings.tasks``), and the part that completes the set merges them. Starting and
retrying are changes people make, so they live here.
"""

from celery import group
from django.db import transaction

from meetings import tasks
from meetings.models import Contact, Meeting
from meetings.pdf import base_meeting
from tif_portal.models import BackgroundJob


def invitation_letter_recipients(meeting: Meeting):
    """Everyone invited to the meeting who can still be written to."""
    return (
        Contact.objects.filter(invitations__meeting=meeting, erased_at__isnull=True)
        .select_related("site")
        .order_by("site__name", "name", "pk")
    )


@transaction.atomic
def invitation_letters_start(*, meeting: Meeting, contacts, started_by) -> BackgroundJob:
    """Queue a job that renders one letter per contact into one PDF; returns the job to follow."""
    meeting = base_meeting(meeting)
    contact_ids = [c.pk for c in contacts]
    job = BackgroundJob.objects.create(
        kind=BackgroundJob.Kind.INVITATION_LETTERS,
        params={"meeting_id": meeting.pk, "contact_ids": contact_ids},
        municipality=meeting.working_group.municipality,
        created_by=started_by,
        total=len(contact_ids),
    )
    transaction.on_commit(lambda: tasks.invitation_letters_run.delay(job.pk))
    return job


@transaction.atomic
def invitation_letters_retry(*, job: BackgroundJob) -> BackgroundJob:
    """Run a failed letter job again: the parts that are missing or never finished are
    rendered anew, the ones already on file are kept, and the merge follows."""
    job = BackgroundJob.objects.select_for_update().get(pk=job.pk)
    if job.state != BackgroundJob.State.FAILED:
        return job
    missing = set(job.params.get("missing_parts", []))
    job.parts_done = [index for index in job.parts_done if index not in missing]
    job.params = {
        **{key: value for key, value in job.params.items() if key not in ("missing_parts", "empty_parts")},
        "empty_parts": [i for i in job.params.get("empty_parts", []) if i in job.parts_done],
    }
    job.done = min(job.total, sum(len(tasks.part_ids(job, index)) for index in job.parts_done))
    job.state = BackgroundJob.State.RUNNING if job.parts_total else BackgroundJob.State.QUEUED
    job.error = ""
    job.finished_at = None
    job.save(update_fields=["parts_done", "params", "done", "state", "error", "finished_at"])
    job_id, todo = job.pk, [i for i in range(job.parts_total) if i not in job.parts_done]
    if not job.parts_total:
        transaction.on_commit(lambda: tasks.invitation_letters_run.delay(job_id))
    elif todo:
        transaction.on_commit(lambda: group(tasks.invitation_letters_part.si(job_id, i) for i in todo).apply_async())
    else:
        transaction.on_commit(lambda: tasks.invitation_letters_merge.delay(job_id))
    return job


def letter_job_context(job: BackgroundJob, user) -> dict:
    """For the job page: the meeting the letters are for, and the letters a failed run lacks."""
    return {
        "meeting": Meeting.objects.visible_to(user).filter(pk=job.params.get("meeting_id")).first(),
        "missing": [tasks.part_letters(job, index) for index in job.params.get("missing_parts", [])],
    }
