"""The portal's settings with one addition for the HTTP benchmark: a bare Django view beside the
portal's pages, served by the same gunicorn through the same middleware."""

from tif_portal.settings import *  # noqa: F403

ROOT_URLCONF = "tif_portal.bench.urls"
