from rest_framework.throttling import SimpleRateThrottle


class PerToken(SimpleRateThrottle):
    """Requests per token, counted in the cache (Redis), so every server process shares the count."""

    scope = "token"

    def get_cache_key(self, request, view):
        if request.auth is None:
            return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
        return self.cache_format % {"scope": self.scope, "ident": f"t{request.auth.pk}"}
