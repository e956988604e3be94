"""Work in progress shown the same way on every page that waits for the workers (a batch of
mail, a background job): a status paragraph in a live region that a small script refreshes
from a JSON view, and a plain link that reloads the page for whoever has no script. The page
itself never reloads on its own (WCAG 2.2.1, 2.2.2: a reload cannot be stopped and moves focus).

The view renders ``includes/progress.html`` with ``progress_context(...)``; its status URL
answers with ``progress_json(...)``. Both put the same words in the status paragraph.
"""

from django.http import JsonResponse
from django.template.loader import render_to_string

POLL_SECONDS = 3
STATUS_TEMPLATE = "includes/progress_status.html"


def progress_context(*, done: int, total: int, percent: int, finished: bool, status_url: str, label: str, details: str = "") -> dict:
    """What ``includes/progress.html`` shows: ``details`` is one more sentence after the count."""
    return {
        "progress": {
            "done": done, "total": total, "percent": percent, "finished": finished, "details": details,
            "status_url": status_url, "label": label, "poll_seconds": POLL_SECONDS,
        }
    }


def progress_json(request, **progress) -> JsonResponse:
    """The figures and the status sentence, for the script that updates the live region."""
    context = progress_context(status_url="", label="", **progress)
    text = " ".join(render_to_string(STATUS_TEMPLATE, context, request=request).split())
    response = JsonResponse({"percent": context["progress"]["percent"], "finished": context["progress"]["finished"], "text": text})
    response["Cache-Control"] = "no-store"
    return response


def outbox_progress(batch_progress: dict) -> dict:
    """The keyword arguments of ``progress_context``/``progress_json`` for a batch of mail
    (``outbox.progress(batch)``)."""
    from django.utils.translation import gettext as _

    details = _(
        "Skickade: %(sent)s, misslyckade: %(failed)s, försöker igen: %(retrying)s, i kö: %(queued)s, skickas nu: %(sending)s."
    ) % {key: batch_progress[key] for key in ("sent", "failed", "retrying", "queued", "sending")}
    return {key: batch_progress[key] for key in ("done", "total", "percent", "finished")} | {"details": details}
