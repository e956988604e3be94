from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from followup.models import SUMMARY_MAX_LENGTH, SeizureFeedback
from municipalities.models import ActionItem, CommunicationItem, SituationEntry
from tif_portal.forms import CrispyMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SeizureFeedbackForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Spara återkopplingen")

    class Meta:
        model = SeizureFeedback
        fields = ["period_start", "period_end", "summary"]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "summary": forms.Textarea(attrs={"rows": 6, "maxlength": SUMMARY_MAX_LENGTH}),
        }
        error_messages = {
            "summary": {
                "max_length": _(
                    "Korta sammanfattningen till högst 1 000 tecken."
                ),
                "required": _("Skriv en sammanfattning."),
            },
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error(
                "period_end",
                _(
                    "Perioden måste sluta samma dag eller efter att den börjar."
                ),
            )
        return data


class SituationEntryForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Lägg till i lägesbilden")
    prefix = "situation"

    class Meta:
        model = SituationEntry
        fields = ["date", "source", "text"]
        widgets = {"date": DATE, "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate


class ActionItemForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Spara åtgärden")
    prefix = "action"

    class Meta:
        model = ActionItem
        fields = ["what", "who", "due_date", "status", "follow_up_date"]
        widgets = {"due_date": DATE, "follow_up_date": DATE}

    def clean(self):
        data = super().clean()
        due, follow = data.get("due_date"), data.get("follow_up_date")
        if due and follow and follow < due:
            self.add_error(
                "follow_up_date",
                _("Uppföljningen kan inte ligga före sista dagen."),
            )
        return data


class CommunicationItemForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Spara insatsen")
    prefix = "communication"

    class Meta:
        model = CommunicationItem
        fields = ["audience", "channel", "message", "date", "who", "status"]
        widgets = {"date": DATE, "message": forms.Textarea(attrs={"rows": 3})}


PLAN_FORMS = {"situation": SituationEntryForm, "action": ActionItemForm, "communication": CommunicationItemForm}

YES_NO = [("yes", _("Ja")), ("no", _("Nej"))]


class SurveyForm(CrispyMixin, forms.Form):
    submit_label = _("Skicka svaren")

    safety = forms.TypedChoiceField(
        label=_("Hur trygg känner du dig i att hantera misstänkta försändelser?"),
        help_text=_("1 = inte alls trygg, 5 = mycket trygg"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ett värde från 1 till 5.")},
    )
    knows_contact = forms.ChoiceField(
        label=_("Vet du när och hur du ska kontakta polisen?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Svara ja eller nej.")},
    )
    would_report = forms.ChoiceField(
        label=_("Skulle du anmäla en misstänkt försändelse?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Svara ja eller nej.")},
    )


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), coerce=int, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
