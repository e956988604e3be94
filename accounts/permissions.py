"""Checks the views share about what a user's role allows."""

from django.core.exceptions import PermissionDenied


def require_manager(user) -> None:
    """Refuse (403) a user whose role only reads: members, instructors, agent contacts."""
    if not user.can_manage:
        raise PermissionDenied
