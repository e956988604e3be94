from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Möten")

    def ready(self):
        from meetings.services import letters
        from tif_portal import jobs
        from tif_portal.models import BackgroundJob

        jobs.kind_register(
            BackgroundJob.Kind.INVITATION_LETTERS,
            context=letters.letter_job_context,
            retry=letters.invitation_letters_retry,
        )
