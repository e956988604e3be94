from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from municipalities.models import Membership, Municipality, WorkingGroup
from municipalities.services import GRANTABLE_ROLES
from tif_portal.forms import CrispyMixin, TelInput


class WorkingGroupForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["municipality", "name", "description", "decision_date", "decided_by", "follow_up_months"]
        widgets = {"decision_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.visible_to(user)
        if self.instance.pk:
            # A group stays in its municipality; its data is scoped by it.
            del self.fields["municipality"]

    def clean_follow_up_months(self):
        months = self.cleaned_data["follow_up_months"]
        if not 1 <= months <= 36:
            raise forms.ValidationError(_("Ange mellan 1 och 36 månader."))
        return months


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
