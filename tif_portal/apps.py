from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class TifPortalConfig(AppConfig):
    name = "tif_portal"
    verbose_name = _("Utskick")

    def ready(self):
        # Each app registers its mail renderers in emails.py.
        autodiscover_modules("emails")
