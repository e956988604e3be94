"""The mail outbox: services write rows, tasks deliver them.

    outbox.enqueue(emails.minutes_mail(meeting=m, version=2, email=a, language="sv") for a in addresses)
    # inside the same transaction as the change

Each kind of mail has one constructor, beside its renderer in the app's ``emails.py``:
it names the key that makes the mail unique, the renderer and what the renderer needs.

Rows are written in the caller's transaction; delivery is requested only after
commit, and a broker that is down only delays it: the periodic sweep picks the
rows up later.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from tif_portal.models import OutboundEmail
from tif_portal.outbox.registry import Rendered, get_renderer, preloader, renderer  # noqa: F401 - the apps' entry points
from tif_portal.outbox.tasks import kick

logger = logging.getLogger(__name__)

KEY_CHUNK = 1000


@dataclass
class Mail:
    key: str
    to: str
    purpose: str
    renderer: str = ""
    params: dict = field(default_factory=dict)
    subject: str = ""
    body_text: str = ""
    body_html: str = ""
    language: str = "sv"
    municipality_id: int | None = None
    about: object | None = None
    batch: str = ""
    headers: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)

    def as_row(self) -> OutboundEmail:
        about_type = ContentType.objects.get_for_model(self.about) if self.about is not None else None
        return OutboundEmail(
            key=self.key,
            to=self.to,
            purpose=self.purpose,
            renderer=self.renderer,
            params=self.params,
            subject=self.subject[:300],
            body_text=self.body_text,
            body_html=self.body_html,
            language=self.language,
            municipality_id=self.municipality_id,
            content_type=about_type,
            object_id=getattr(self.about, "pk", None),
            batch=self.batch,
            headers=self.headers,
            attachments=self.attachments,
        )


def enqueue(mails: Iterable[Mail]) -> int:
    """Write the mails that are not in the outbox yet; returns how many are new.

    Keys already present are left alone, so calling twice sends nothing twice.
    """
    mails = list(mails)
    if not mails:
        return 0
    created = 0
    with transaction.atomic():
        for start in range(0, len(mails), KEY_CHUNK):
            chunk = mails[start : start + KEY_CHUNK]
            existing = set(
                OutboundEmail.objects.filter(key__in=[m.key for m in chunk]).values_list("key", flat=True)
            )
            rows = [m.as_row() for m in chunk if m.key not in existing]
            OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
            created += len(rows)
        if created:
            transaction.on_commit(lambda: kick(created))
    return created


def requeue(row: OutboundEmail, *, to: str) -> bool:
    """Send a row again, to ``to`` (an address corrected since): after it failed, or after it went
    to the old address. Its attempts stay in the delivery log; a row on its way is left alone.

    The caller holds the row locked (``select_for_update``) in its transaction.
    """
    on_its_way = row.state in (OutboundEmail.State.QUEUED, OutboundEmail.State.SENDING, OutboundEmail.State.RETRYING)
    delivered_there = row.state == OutboundEmail.State.SENT and row.to.lower() == to.lower()
    if on_its_way or delivered_there:
        return False
    OutboundEmail.objects.filter(pk=row.pk).update(
        to=to, state=OutboundEmail.State.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error="",
        claim_token="", claimed_until=None, sent_at=None,
    )
    transaction.on_commit(lambda: kick(1))
    return True


def progress(batch: str) -> dict:
    """Counts per state for a batch of mails, for progress bars (one query)."""
    counts = Counter(
        dict(OutboundEmail.objects.filter(batch=batch).order_by().values_list("state").annotate(n=Count("id")))
    )
    total = sum(counts.values())
    done = counts[OutboundEmail.State.SENT] + counts[OutboundEmail.State.FAILED]
    return {
        "total": total,
        "done": done,
        "percent": round(100 * done / total) if total else 100,
        "finished": total == done,
        **{state: counts[state] for state in OutboundEmail.State.values},
    }
