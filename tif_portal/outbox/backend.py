"""A Django mail backend that writes to the outbox, so Django's own mails
(password reset) are delivered, retried and shown like every other mail."""

import uuid

from django.core.mail.backends.base import BaseEmailBackend

from tif_portal import outbox


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        mails = []
        for message in email_messages:
            html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
            for recipient in message.recipients():
                mails.append(
                    outbox.Mail(
                        key=f"django:{uuid.uuid4().hex}",
                        to=recipient,
                        purpose="system",
                        subject=message.subject,
                        body_text=message.body,
                        body_html=html,
                    )
                )
        return outbox.enqueue(mails)
