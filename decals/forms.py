from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from decals.models import CountyDecalSettings, DecalOrder, DecalSize
from tif_portal.forms import CrispyMixin


class OrderForm(CrispyMixin, forms.ModelForm):
    """A contact's order for one of their workplaces; the address starts as the workplace's."""

    submit_label = _("Beställ dekaler")

    site = forms.ModelChoiceField(queryset=None, label=_("Arbetsplats"), widget=forms.HiddenInput)

    class Meta:
        model = DecalOrder
        fields = [
            "site",
            "quantity",
            "size",
            "delivery_name",
            "delivery_street",
            "delivery_postal_code",
            "delivery_city",
            "note",
        ]
        # The contact's own workplace address: browsers may fill it in (WCAG 1.3.5).
        widgets = {
            "note": forms.Textarea(attrs={"rows": 2}),
            "delivery_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "delivery_street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "delivery_postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "delivery_city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }
        help_texts = {"note": _("T.ex. portkod eller när ni har öppet.")}

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].error_messages["invalid_choice"] = _(
            "Välj en av dina egna arbetsplatser."
        )
        top = settings.DECAL_ORDER_MAX
        message = _("Ange ett antal mellan 1 och %(max)s.") % {"max": top}
        self.fields["quantity"] = forms.IntegerField(
            label=_("Antal dekaler"),
            min_value=1,
            max_value=top,
            initial=1,
            error_messages={"min_value": message, "max_value": message, "required": message, "invalid": message},
        )
        self.fields["size"].label = _("Storlek")
        # The form also sits on Mina sidor; it always posts here.
        self.helper.form_action = reverse("contact:decal_order")

    def clean(self):
        data = super().clean()
        # The site is a hidden field: show its error where the person can read it.
        for error in self._errors.get("site", []):
            self.add_error(None, error)
        return data

    @classmethod
    def for_site(cls, site, sites):
        form = cls(
            sites=sites,
            auto_id=f"id_site{site.pk}_%s",
            initial={
                "site": site.pk,
                "delivery_name": site.name,
                "delivery_street": site.street,
                "delivery_postal_code": site.postal_code,
                "delivery_city": site.city,
            },
        )
        return form


class OrderActionForm(forms.Form):
    """Several orders chosen in the queue and what to do with them."""

    ACTIONS = [
        ("approve", _("Godkänn")),
        ("reject", _("Avslå")),
        ("ship", _("Markera som skickade")),
        ("slips", _("Följesedlar (PDF)")),
        ("labels", _("Adressetiketter (PDF)")),
    ]

    orders = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={"required": _("Markera minst en beställning.")},
    )
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(label=_("Skäl till avslag"), required=False, max_length=1000)

    def __init__(self, *args, orders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].queryset = orders

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Skriv varför beställningarna avslås."))
        return data


class IssueForm(CrispyMixin, forms.Form):
    """The size and number of decals one workplace got at a meeting."""

    submit_label = _("Spara ändringen")

    size = forms.ChoiceField(label=_("Storlek"), choices=DecalSize.choices)
    quantity = forms.IntegerField(
        label=_("Antal dekaler"),
        min_value=1,
        max_value=50,
        error_messages={
            "min_value": _("Ange ett antal mellan 1 och 50. Ta bort posten om inga delades ut."),
            "max_value": _("Ange ett antal mellan 1 och 50. Ta bort posten om inga delades ut."),
            "required": _("Ange ett antal mellan 1 och 50. Ta bort posten om inga delades ut."),
        },
    )


class StockReceiveForm(CrispyMixin, forms.Form):
    submit_label = _("Registrera inleverans")

    county = forms.ModelChoiceField(queryset=None, label=_("Län"))
    size = forms.ChoiceField(label=_("Storlek"), choices=DecalSize.choices, initial=DecalSize.A5, required=False)
    quantity = forms.IntegerField(
        label=_("Antal dekaler som kom in"),
        min_value=1,
        max_value=100000,
        error_messages={
            "min_value": _("Ange ett antal större än noll."),
            "required": _("Ange ett antal större än noll."),
        },
    )
    note = forms.CharField(
        label=_("Kommentar"), required=False, max_length=200, help_text=_("T.ex. leverantör eller följesedel.")
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        # The order of the form's fields: where, which size, how many.
        self.order_fields(["county", "size", "quantity", "note"])
        only = list(counties[:2])
        if len(only) == 1:
            self.fields["county"].initial = only[0].pk
            self.fields["county"].widget = forms.HiddenInput()


    def clean_size(self):
        return self.cleaned_data.get("size") or DecalSize.A5


class CountySettingsForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = CountyDecalSettings
        fields = ["coordinators_may_handle_orders", "eligibility_years"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eligibility_years"].min_value = 1
        self.fields["eligibility_years"].widget.attrs["min"] = 1
        self.fields["eligibility_years"].error_messages["min_value"] = _(
            "Ange minst ett år."
        )
