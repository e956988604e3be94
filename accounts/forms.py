from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tif_portal.forms import CrispyMixin, TelInput, crispy


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-post"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": _(
            "Fel e-postadress eller lösenord. Kontrollera stavningen och försök igen."
        ),
        "inactive": _("Kontot är inaktiverat."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Lösenord")
        crispy(self, _("Logga in"))

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class ProfileForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "phone", "language"]
        # The person's own details: browsers and assistive tools may fill them in (WCAG 1.3.5).
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": TelInput(attrs={"autocomplete": "tel"}),
        }
