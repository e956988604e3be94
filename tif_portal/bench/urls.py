"""The portal's URLs plus the bare view the HTTP benchmark compares every page with."""

from django.http import HttpResponse
from django.urls import path

from tif_portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    """What Django alone costs: the full middleware stack and a two-byte answer."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_urlpatterns]
