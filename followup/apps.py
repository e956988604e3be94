from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning")

    # What the county dashboard counts; a save or delete of any of these forgets its cache.
    COUNTED_MODELS = [
        "meetings.Meeting", "meetings.MeetingInstructor", "meetings.Registration", "meetings.Site",
        "meetings.ChecklistItem", "meetings.Minutes", "decals.DecalIssue", "decals.DecalOrder",
        "followup.FollowUp", "followup.SurveyResponse", "followup.SeizureFeedback", "municipalities.WorkingGroup",
        "municipalities.Membership", "municipalities.SituationEntry", "municipalities.ActionItem",
        "municipalities.CommunicationItem",
    ]

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from followup.dashboard import figures_changed

        for label in self.COUNTED_MODELS:
            model = apps.get_model(label)
            post_save.connect(figures_changed, sender=model, dispatch_uid=f"dashboard-{label}-save")
            post_delete.connect(figures_changed, sender=model, dispatch_uid=f"dashboard-{label}-delete")
