"""The mail benchmark's baseline: loaded only by the benchmark's worker (tif_portal.bench.settings)."""

from celery import shared_task

from tif_portal.models import OutboundEmail


@shared_task(ignore_result=True)
def deliver_one_mail_naively(renderer: str, params: dict, to: str, language: str = "sv") -> None:
    """The design the outbox replaces, the benchmark's baseline: one task per mail,
    each opening its own SMTP connection, with no row, no fence and no retry record."""
    from django.core.mail import get_connection

    from tif_portal.outbox.delivery import build_message, render

    email = OutboundEmail(key=f"naive:{to}:{renderer}", to=to, renderer=renderer, params=params, language=language)
    message = build_message(email, render(email))
    connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
    message.connection = connection
    message.send()
