from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig
from django.utils.translation import gettext_lazy as _


class TifPortalConfig(AppConfig):
    name = "tif_portal"
    default = True  # this module also holds the static files config
    verbose_name = _("Utskick")

    def ready(self):
        from tif_portal import generation
        from tif_portal.outbox import registry

        registry.discover()
        generation.watch_writes()


class StaticFilesConfig(BaseStaticFilesConfig):
    """collectstatic takes only what the pages use from the npm packages.

    Bootstrap ships every variant with its source map and the font package two dozen
    faces; compressing them all for production took over a minute. The source maps of
    the two files in use stay: the files name them.
    """

    ignore_patterns = [
        *BaseStaticFilesConfig.ignore_patterns,
        "*.rtl.*",
        "bootstrap-grid*",
        "bootstrap-reboot*",
        "bootstrap-utilities*",
        "bootstrap.css*",
        "bootstrap.js*",
        "bootstrap.min.js*",
        "bootstrap.bundle.js*",
        "bootstrap.esm*",
        "DejaVuMathTeXGyre.ttf",
        "DejaVuSans-ExtraLight.ttf",
        "DejaVuSansCondensed*",
        "DejaVuSansMono*",
        "DejaVuSerif*",
    ]
