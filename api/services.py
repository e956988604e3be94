"""Tokens and webhook subscriptions: made and ended by their owner."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiToken, Webhook, token_digest

# A token that lives longer than a year is one nobody remembers: make a new one.
MAX_DAYS = 366
EXPIRY_CHOICES = (30, 90, 180, 365)


class TokenError(ValueError):
    """A token that cannot be made as asked; the message says why."""


def may_have_tokens(user) -> bool:
    """Everyone who signs in with a password; agent contacts have personal links instead."""
    return getattr(user, "is_authenticated", False) and user.is_active and not user.is_contact


def may_write(user) -> bool:
    """Writing through the API takes the same role as writing in the portal."""
    return user.can_manage


@transaction.atomic
def token_create(*, user, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """Make a token; returns it and the secret, which is never shown again."""
    if not may_have_tokens(user):
        raise TokenError(_("Ditt konto kan inte ha API-nycklar."))
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(_("En nyckel gäller i högst ett år."))
    if scope == ApiToken.Scope.WRITE and not may_write(user):
        raise TokenError(_("Din roll får bara läsa, så nyckeln kan bara läsa."))
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        hint=secret[:8],
        digest=token_digest(secret),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """End a token at once; revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def webhook_create(*, owner, url: str, events: list[str]) -> Webhook:
    import secrets

    return Webhook.objects.create(owner=owner, url=url, events=sorted(set(events)), secret=secrets.token_hex(32))


@transaction.atomic
def webhook_update(*, webhook: Webhook, **fields) -> Webhook:
    for name, value in fields.items():
        setattr(webhook, name, sorted(set(value)) if name == "events" else value)
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, webhook: Webhook) -> None:
    webhook.delete()
