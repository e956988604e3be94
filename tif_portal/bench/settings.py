"""The portal's settings with one addition for the HTTP benchmark: a bare Django view beside the
portal's pages, served by the same gunicorn through the same middleware."""

from tif_portal.settings import *  # noqa: F403

ROOT_URLCONF = "tif_portal.bench.urls"
# The mail benchmark's baseline task, which production never runs.
CELERY_IMPORTS = [*CELERY_IMPORTS, "tif_portal.bench.tasks"]  # noqa: F405
