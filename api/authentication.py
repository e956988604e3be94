"""``Authorization: Bearer tif_…``: the token's owner is the request's user, with their role."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import ApiToken, token_digest

# Writing the last use on every request would make every read a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace").split()
        if not header or header[0].lower() not in ("bearer", "token"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Ange nyckeln så här: Authorization: Bearer <nyckel>."))
        token = ApiToken.objects.usable().select_related("user__county").filter(digest=token_digest(header[1])).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Nyckeln är okänd, har gått ut eller är återkallad."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("En personlig API-nyckel från Mitt konto → API-nycklar.")),
        }
