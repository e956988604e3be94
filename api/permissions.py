from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from api.services import may_write


class TokenScope(permissions.BasePermission):
    """Reading takes any usable token; writing a token with the write scope, whose owner's role
    may change data in the portal. What may be read or written is then the owner's scoping."""

    message = _("Nyckeln får bara läsa. Skapa en nyckel med behörigheten läsa och skriva.")

    def has_permission(self, request, view):
        token = request.auth
        if token is None or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "owner_only", False):
            return token.may_write  # the user's own webhooks: no role needed
        if not token.may_write:
            return False
        if not may_write(request.user):
            self.message = _("Din roll får inte ändra uppgifter i portalen.")
            return False
        return True
