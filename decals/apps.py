from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecalsConfig(AppConfig):
    name = "decals"
    verbose_name = _("Dekaler")
