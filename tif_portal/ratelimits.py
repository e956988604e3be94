"""Who is asking, and how often: the client's address behind the documented reverse proxy, and
rate limits that a cache outage does not turn into errors.

Behind a proxy every request comes from the proxy's address. ``TIF_TRUSTED_PROXIES`` names the
proxies (addresses or networks); only for a request from one of them is ``X-Forwarded-For``
believed, and the client is the last address in it that is not a trusted proxy. Login throttling
(django-axes) and every rate limit use this address.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _is_trusted_proxy(address):
            return address
    return remote


def by_client(group, request) -> str:
    return client_ip(request)


def by_posted_email(group, request) -> str:
    """One count per address however it is written ("Sara@X.se " and "sara@x.se" are one)."""
    return request.POST.get("email", "").strip().lower()


def over_limit(request, *, group: str, key, rate: str) -> bool:
    """Count this request and say whether it is over ``rate``. When the cache is down the request
    goes through (and is logged): a form that answers is better than a rate limit that errs."""
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, method=is_ratelimited.ALL, increment=True)
    except (RedisError, OSError):
        logger.warning("Rate limit %s not counted: the cache is unreachable", group, exc_info=True)
        return False
