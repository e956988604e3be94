"""Delivery of outbox rows: claim a batch, send it over one SMTP connection.

Exactly once as far as SMTP allows, even when a worker is killed. The server
only accepts a message at the end-of-data marker, so the row is marked sent in a
transaction that is open while the marker is written and committed right after
it. A worker that dies before the marker leaves an unsent row (PostgreSQL rolls
back the transaction of a connection that went away), which is retried; one that
dies after the commit leaves a row marked sent. What remains is the instant
between writing the marker and writing the commit, with nothing to wait for in
between; should a worker die just there, the message goes again with the same
Message-ID, by which mail programs recognise the copy. The update is fenced by
the claim token, so a row reclaimed from a slow worker is never sent by both.
"""

import hashlib
import logging
import re
import smtplib
import socket
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from tif_portal.models import DeliveryAttempt, OutboundEmail
from tif_portal.outbox.registry import Rendered, get_renderer

logger = logging.getLogger(__name__)
State = OutboundEmail.State
Outcome = DeliveryAttempt.Outcome
# SMTP dot-stuffing (RFC 5321, 4.5.2): a line starting with a dot gets another.
LEADING_DOT = re.compile(rb"(?m)^\.")


class TemporaryFailure(Exception):
    def __init__(self, detail: str, code: int | None = None):
        super().__init__(detail)
        self.code = code


class PermanentFailure(Exception):
    def __init__(self, detail: str, code: int | None = None):
        super().__init__(detail)
        self.code = code


class SessionUnavailable(TemporaryFailure):
    """No connection to send over (refused, greeting or login refused): nothing reached the server."""


class ClaimLost(Exception):
    """Another worker took the row over; this one must not send it."""


def claim_batch(size: int) -> tuple[str, list[OutboundEmail]]:
    """Mark up to ``size`` due rows as ours; concurrent workers skip locked rows."""
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:size]
        )
        if not ids:
            return token, []
        OutboundEmail.objects.filter(id__in=ids).update(
            state=State.SENDING,
            claim_token=token,
            claimed_until=now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
        )
    return token, list(OutboundEmail.objects.filter(id__in=ids).order_by("id"))


def render(email: OutboundEmail) -> Rendered:
    if not email.renderer:
        rendered = Rendered(email.subject, email.body_text, email.body_html, dict(email.headers))
    else:
        with translation.override(email.language):
            rendered = get_renderer(email.renderer)(email)
        rendered.headers = {**email.headers, **rendered.headers}
    # A line break in a subject (a meeting title pasted with one) would make the header invalid
    # and fail every mail of the batch: a subject is one line.
    rendered.subject = " ".join(rendered.subject.split())
    return rendered


def message_id(email: OutboundEmail) -> str:
    """The same for every attempt of one row, so a copy sent again after a dropped connection
    is recognisable as the same message; the domain is the portal's own."""
    digest = hashlib.sha256(email.key.encode()).hexdigest()[:32]
    return f"<{digest}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>"


def build_message(email: OutboundEmail, rendered: Rendered) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": message_id(email),
        # Every mail is written by the portal (RFC 3834): out-of-office replies and other
        # automatic answers should not go back, least of all to a meeting's contact person.
        "Auto-Submitted": "auto-generated",
        "Content-Language": rendered.content_language or email.language,
        **rendered.headers,
    }
    message = EmailMultiAlternatives(subject=rendered.subject, body=rendered.body_text, to=[email.to], headers=headers)
    if rendered.body_html:
        message.attach_alternative(rendered.body_html, "text/html")
    for filename, content, mimetype in rendered.attachments:
        message.attach(filename, content, mimetype)
    return message


@contextmanager
def marked_sent(email: OutboundEmail, token: str, rendered: Rendered):
    """Mark the row sent in a transaction that commits when the block ends."""
    with transaction.atomic():
        updated = OutboundEmail.objects.filter(pk=email.pk, claim_token=token, state=State.SENDING).update(
            state=State.SENT,
            sent_at=timezone.now(),
            attempts=F("attempts") + 1,
            subject=rendered.subject[:300],
            body_text=rendered.body_text,
            body_html=rendered.body_html,
            last_error="",
        )
        if not updated:
            raise ClaimLost(email.pk)
        yield


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 6 * 3600))


def mark_failed(email: OutboundEmail, token: str, error: Exception, *, permanent: bool) -> DeliveryAttempt:
    attempts = email.attempts + 1
    give_up = permanent or attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutboundEmail.objects.filter(pk=email.pk, claim_token=token).update(
        state=State.FAILED if give_up else State.RETRYING,
        sent_at=None,  # a server may still refuse the message after its end marker
        attempts=attempts,
        next_attempt_at=timezone.now() + retry_delay(attempts),
        last_error=str(error)[:2000],
        claim_token="",
        claimed_until=None,
    )
    return DeliveryAttempt(
        email_id=email.pk,
        outcome=Outcome.PERMANENT if permanent else Outcome.TEMPORARY,
        smtp_code=getattr(error, "code", None),
        detail=str(error)[:2000],
    )


def classify(code: int, detail: str):
    if 400 <= code < 500:
        return TemporaryFailure(f"{code} {detail}", code)
    return PermanentFailure(f"{code} {detail}", code)


class SmtpSession:
    """One SMTP connection that sends many messages with the two-phase data step."""

    def __init__(self):
        self.conn: smtplib.SMTP | None = None

    def open(self) -> None:
        try:
            conn = smtplib.SMTP(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=settings.EMAIL_TIMEOUT)
            if settings.EMAIL_USE_TLS:
                conn.starttls()
            if settings.EMAIL_HOST_USER:
                conn.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
            # MAIL FROM is sent by hand below, so greet first (smtplib only does it in sendmail()).
            conn.ehlo_or_helo_if_needed()
            # The end-of-data marker is a tiny write after the message: without this, Nagle's
            # algorithm holds it until the server's delayed ACK, some 40 ms per message.
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except smtplib.SMTPResponseException as exc:
            raise SessionUnavailable(f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}", exc.smtp_code) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SessionUnavailable(f"{type(exc).__name__}: {exc}") from exc
        self.conn = conn

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                self.conn.close()
        self.conn = None

    def abort(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None

    def _expect(self, code_and_text, ok: tuple[int, ...]):
        code, text = code_and_text
        if code not in ok:
            detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
            raise classify(code, detail)

    def send(self, message: EmailMultiAlternatives, marking) -> None:
        """Send one message; the end-of-data marker is written inside ``marking()``."""
        if self.conn is None:
            self.open()
        conn = self.conn
        try:
            self._expect(conn.mail(message.from_email), (250,))
            for recipient in message.recipients():
                self._expect(conn.rcpt(recipient), (250, 251))
            conn.putcmd("data")
            self._expect(conn.getreply(), (354,))
            data = LEADING_DOT.sub(b"..", message.message().as_bytes(linesep="\r\n"))
            if not data.endswith(b"\r\n"):
                data += b"\r\n"
            conn.send(data)
        except (TemporaryFailure, PermanentFailure):
            self.abort()
            raise
        except (OSError, smtplib.SMTPException) as exc:
            self.abort()
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
        try:
            with marking():
                conn.send(b".\r\n")
        except ClaimLost:
            self.abort()  # the server discards data without its end marker
            raise
        except OSError as exc:
            self.abort()  # the marker did not go out, and the transaction rolled back
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
        try:
            self._expect(conn.getreply(), (250,))
        except (TemporaryFailure, PermanentFailure):
            self.abort()
            raise
        except (OSError, smtplib.SMTPException) as exc:
            self.abort()
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc


class BackendSession:
    """Any Django mail backend (files in development, memory in tests): no two-phase step."""

    def __init__(self):
        self.conn = get_connection(settings.OUTBOX_DELIVERY_BACKEND)

    def close(self):
        self.conn.close()

    def send(self, message, marking) -> None:
        with marking():
            pass
        message.connection = self.conn
        self.conn.send_messages([message])


def uses_smtp() -> bool:
    return import_string(settings.OUTBOX_DELIVERY_BACKEND).__module__ == "django.core.mail.backends.smtp"


@dataclass
class BatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _renew_claim(emails: list[OutboundEmail], token: str) -> None:
    """Keep a long batch's rows ours; a short claim lets rows of a dead worker go soon."""
    OutboundEmail.objects.filter(pk__in=[e.pk for e in emails], claim_token=token, state=State.SENDING).update(
        claimed_until=timezone.now() + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    )


def deliver_batch(size: int | None = None) -> BatchResult | None:
    """Claim and deliver one batch over one connection; None when nothing is due.

    A message the server refuses, or whose connection drops, is charged an attempt on its
    own; the next message opens a new connection. When no connection can be had at all,
    the rest of the batch waits for its next attempt instead of trying one per message.
    """
    token, emails = claim_batch(size or settings.OUTBOX_BATCH_SIZE)
    if not emails:
        return None
    result = BatchResult()
    attempts: list[DeliveryAttempt] = []
    session = SmtpSession() if uses_smtp() else BackendSession()
    renewed = time.monotonic()
    try:
        for index, email in enumerate(emails):
            if time.monotonic() - renewed > settings.OUTBOX_CLAIM_SECONDS / 3:
                _renew_claim(emails[index:], token)
                renewed = time.monotonic()
            try:
                rendered = render(email)
                message = build_message(email, rendered)
                session.send(message, marking=lambda e=email, r=rendered: marked_sent(e, token, r))
            except ClaimLost:
                continue
            except SessionUnavailable as exc:
                for rest in emails[index:]:
                    attempts.append(mark_failed(rest, token, exc, permanent=False))
                    result.retrying += 1
                break
            except PermanentFailure as exc:
                attempts.append(mark_failed(email, token, exc, permanent=True))
                result.failed += 1
            except TemporaryFailure as exc:
                attempts.append(mark_failed(email, token, exc, permanent=False))
                result.retrying += 1
            except Exception as exc:  # noqa: BLE001 - a broken template must not block the batch
                logger.exception("Outbox row %s could not be rendered", email.pk)
                attempts.append(mark_failed(email, token, exc, permanent=True))
                result.failed += 1
            else:
                attempts.append(DeliveryAttempt(email_id=email.pk, outcome=Outcome.SENT, smtp_code=250))
                result.sent += 1
    finally:
        session.close()
        DeliveryAttempt.objects.bulk_create(attempts)
    return result
