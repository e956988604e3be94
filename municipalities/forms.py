from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from municipalities.models import (
    ActionItem,
    CommunicationItem,
    Goal,
    Membership,
    Municipality,
    SituationEntry,
    WorkingGroup,
)
from municipalities.plans import group_members
from municipalities.services import GRANTABLE_ROLES
from tif_portal.forms import CrispyMixin, TelInput


class WorkingGroupForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["municipality", "name", "description", "follow_up_months", "first_reminder_days", "second_reminder_days"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.visible_to(user)
        if self.instance.pk:
            # A group stays in its municipality; its data is scoped by it.
            del self.fields["municipality"]
        for name in ("first_reminder_days", "second_reminder_days"):
            # Left empty, the reminders keep what they were (60 and 14 days for a new group).
            self.fields[name].required = False

    def clean_follow_up_months(self):
        months = self.cleaned_data["follow_up_months"]
        if not 1 <= months <= 36:
            raise forms.ValidationError(_("Ange mellan 1 och 36 månader."))
        return months

    def clean(self):
        data = super().clean()
        for name in ("first_reminder_days", "second_reminder_days"):
            if name in self.fields and data.get(name) is None and name not in self.errors:
                data[name] = getattr(self.instance, name)
        first, second = data.get("first_reminder_days"), data.get("second_reminder_days")
        if second is not None and second < 1:
            self.add_error("second_reminder_days", _("Ange minst 1 dag. (Enter at least 1 day.)"))
        elif first is not None and second is not None and first <= second:
            self.add_error(
                "first_reminder_days",
                _("Den första påminnelsen ska komma före den andra. (The first reminder must come before the second.)"),
            )
        return data


class MemberAddForm(CrispyMixin, forms.Form):
    submit_label = _("Lägg till")

    email = forms.EmailField(label=_("E-post"))
    name = forms.CharField(label=_("Namn"), max_length=150)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False, widget=TelInput)
    role = forms.ChoiceField(label=_("Roll i gruppen"), choices=Membership.Role.choices)
    account_role = forms.ChoiceField(
        label=_("Behörighet i portalen"),
        choices=[(role.value, role.label) for role in GRANTABLE_ROLES],
        initial=User.Role.MEMBER,
        required=False,
        help_text=_(
            "Gäller den som får ett nytt konto. Rollen i gruppen ger ingen behörighet: en gruppmedlem ser "
            "gruppens möten och planer men inga kontaktpersoner, en instruktör får sitt schema, en samordnare "
            "hanterar gruppen."
        ),
    )

    def clean_account_role(self):
        # Without a choice, the least: a member who manages nothing.
        return self.cleaned_data["account_role"] or User.Role.MEMBER


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(CrispyMixin, forms.ModelForm):
    """A plan row's form; ``group`` is the working group the row belongs to."""

    def __init__(self, *args, group, **kwargs):
        self.group = group
        super().__init__(*args, **kwargs)


class SituationEntryForm(PlanForm):
    submit_label = _("Spara i lägesbilden")
    prefix = "situation"

    class Meta:
        model = SituationEntry
        fields = ["date", "source", "text"]
        widgets = {"date": DATE, "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate


class ActionItemForm(PlanForm):
    submit_label = _("Spara åtgärden")
    prefix = "action"

    class Meta:
        model = ActionItem
        fields = ["what", "owner", "due_date", "status", "follow_up_date"]
        widgets = {"due_date": DATE, "follow_up_date": DATE}
        error_messages = {"owner": {"required": _("Välj vem i gruppen som ansvarar. (Choose who in the group is responsible.)")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = group_members(self.group)
        self.fields["owner"].required = True
        self.fields["owner"].help_text = _("Någon i arbetsgruppen. Hen får en påminnelse en vecka innan.")
        self.fields["owner"].label_from_instance = lambda user: user.name or user.email

    def clean(self):
        data = super().clean()
        due, follow = data.get("due_date"), data.get("follow_up_date")
        if due and follow and follow < due:
            self.add_error(
                "follow_up_date",
                _("Uppföljningen kan inte ligga före sista dagen. (The follow-up date cannot be before the due date.)"),
            )
        return data


class CommunicationItemForm(PlanForm):
    submit_label = _("Spara insatsen")
    prefix = "communication"

    class Meta:
        model = CommunicationItem
        fields = ["audience", "channel", "message", "date", "who", "status"]
        widgets = {"date": DATE, "message": forms.Textarea(attrs={"rows": 3})}


class GoalForm(PlanForm):
    submit_label = _("Spara målet")
    prefix = "goal"

    class Meta:
        model = Goal
        fields = ["what", "measure", "target_value", "target_date", "status"]
        widgets = {"target_date": DATE}
        error_messages = {
            "measure": {"required": _("Skriv hur ni mäter målet. (Write how the goal is measured.)")},
            "target_date": {"required": _("Ange när målet ska vara nått. (Enter when the goal is to be met.)")},
        }


PLAN_FORMS = {
    "goal": GoalForm,
    "situation": SituationEntryForm,
    "action": ActionItemForm,
    "communication": CommunicationItemForm,
}


class DecisionForm(CrispyMixin, forms.ModelForm):
    """Step 1: the decision that anchors the work, and the group's vision."""

    submit_label = _("Spara beslutet")

    class Meta:
        model = WorkingGroup
        fields = ["decision_date", "decided_by", "decision_reference", "decision_document", "leadership_email", "vision"]
        widgets = {
            "decision_date": DATE,
            "decision_document": forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt"}),
            "vision": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "decided_by": _("Till exempel kommunstyrelsen och lokalpolisområdet."),
            "decision_document": _("PDF, Word eller OpenDocument, högst 25 MB."),
            "vision": _("Vart gruppen vill nå på några års sikt, i en eller två meningar."),
        }

    def clean_decision_date(self):
        day = self.cleaned_data["decision_date"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Beslutet kan inte vara fattat i framtiden. (The decision cannot be in the future.)"))
        return day
