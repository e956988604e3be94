from django import forms
from django.utils.translation import gettext_lazy as _

from followup.models import SUMMARY_MAX_LENGTH, SeizureFeedback
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


class BaselineSurveyForm(SurveyForm):
    """The same three questions, asked once when someone registers: the "before" of the survey.

    Voluntary: left empty, nothing is stored. Given in part, the form asks for the rest.
    """

    prefix = "baseline"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False
        self.helper.inputs = []
        for field in self.fields.values():
            field.required = False

    def clean(self):
        data = super().clean()
        given = [name for name in self.fields if data.get(name) not in (None, "")]
        if given and len(given) < len(self.fields):
            for name in self.fields:
                if name not in given:
                    self.add_error(name, _("Svara på alla tre frågorna eller ingen. (Answer all three questions or none.)"))
        return data

    def answers(self) -> dict | None:
        """The answers for ``survey_baseline_record``, or None when the questions were skipped."""
        data = self.cleaned_data
        if data.get("safety") in (None, ""):
            return None
        return {
            "safety": data["safety"],
            "knows_contact": data["knows_contact"] == "yes",
            "would_report": data["would_report"] == "yes",
        }
