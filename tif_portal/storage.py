"""Where files live. Two storages, never mixed up:

- ``default``: public media (municipality logos, knowledge-page pictures), served to anyone by
  ``tif_portal.views.public_media`` (or by the reverse proxy, see README);
- ``private``: files that name people (letter jobs and their parts), reachable only through a
  view that checks who asks. Never under MEDIA_ROOT, so no media route can expose them.

Both are a local folder by default and S3-compatible object storage when ``TIF_S3_BUCKET`` is
set, so that several web and worker hosts share them.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

# The folders of the public storage that the media route serves; anything else there is not served.
PUBLIC_MEDIA_FOLDERS = ("logos/", "knowledge/")


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


def get_private_storage():
    """For ``FileField(storage=...)``: the callable keeps migrations free of the storage's settings."""
    return private_storage


@receiver(setting_changed)
def _forget_private_storage(setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty
