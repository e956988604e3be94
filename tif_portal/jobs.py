"""Pages for background jobs: their progress (tif_portal/progress.py) and the result file."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tif_portal.models import BackgroundJob
from tif_portal.progress import progress_context, progress_json


@dataclass(frozen=True)
class JobKind:
    """What the job pages need from the app that runs a kind of job."""

    context: Callable  # (job, user) -> dict for the job page: what the job is about, what is missing
    retry: Callable  # (job=...) -> job, run again keeping what finished


_kinds: dict[str, JobKind] = {}


def kind_register(kind: str, *, context: Callable, retry: Callable) -> None:
    """Called from the app's ``ready()``: the app that starts a kind of job explains it."""
    _kinds[kind] = JobKind(context=context, retry=retry)


def _job_for(request, pk) -> BackgroundJob:
    """A job of the user's municipalities (else 404); its letters name contacts, so only for managers."""
    job = get_object_or_404(BackgroundJob.objects.visible_to(request.user), pk=pk)
    if not request.user.can_manage:
        raise PermissionDenied
    return job


@login_required
def job_detail(request, pk):
    job = _job_for(request, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return render(
        request,
        "tif_portal/job_detail.html",
        {
            "job": job,
            **_kinds[job.kind].context(job, request.user),
            **progress_context(
                **_job_progress(job), status_url=reverse("job_status", args=[job.pk]), label=_("Förlopp")
            ),
            "can_retry": job.state == BackgroundJob.State.FAILED and request.user.can_manage,
        },
    )


def _job_progress(job: BackgroundJob) -> dict:
    # "Klart." or "Arbetet pågår." ends the sentence; a job still waiting or failed says so too.
    details = job.get_state_display() + "." if job.state in (job.State.QUEUED, job.State.FAILED) else ""
    return {"done": job.done, "total": job.total, "percent": job.percent, "finished": job.finished, "details": details}


@login_required
def job_status(request, pk):
    """The job page's progress as JSON, for its script."""
    return progress_json(request, **_job_progress(_job_for(request, pk)))


@login_required
@require_POST
def job_retry(request, pk):
    """Run a failed job again; what finished before is kept."""
    job = get_object_or_404(BackgroundJob.objects.visible_to(request.user), pk=pk)
    if not request.user.can_manage:
        raise PermissionDenied
    if job.state != BackgroundJob.State.FAILED:
        messages.info(request, _("Jobbet har inte misslyckats och körs inte igen."))
        return redirect(job)
    _kinds[job.kind].retry(job=job)
    messages.success(request, _("Jobbet körs igen. Det som redan var klart behålls."))
    return redirect(job)


@login_required
def job_download(request, pk):
    job = _job_for(request, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    if job.state != BackgroundJob.State.DONE or not job.result:
        raise Http404
    filename = f"{job.get_kind_display()}-{job.created_at:%Y-%m-%d}.pdf".lower().replace(" ", "-")
    return FileResponse(job.result.open("rb"), content_type="application/pdf", filename=filename)
