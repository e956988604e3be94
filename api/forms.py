from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from api.services import EXPIRY_CHOICES, may_write
from tif_portal.forms import CrispyMixin


class TokenForm(CrispyMixin, forms.Form):
    submit_label = _("Skapa nyckel")

    name = forms.CharField(label=_("Namn"), max_length=100, help_text=_("Vad nyckeln används till, t.ex. ”Ombudslistan”."))
    scope = forms.ChoiceField(label=_("Behörighet"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)
    days = forms.TypedChoiceField(
        label=_("Gäller i"), coerce=int, initial=90,
        choices=[(d, _("%(days)s dagar") % {"days": d}) for d in EXPIRY_CHOICES],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_write(user):
            # A role that only reads gets a token that only reads.
            self.fields["scope"].choices = [(ApiToken.Scope.READ, ApiToken.Scope.READ.label)]
            self.fields["scope"].help_text = _("Din roll får bara läsa.")
