from datetime import timedelta

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from meetings.models import Contact, CountyMeeting, Meeting, Site
from meetings.services.county import trained_on
from municipalities.models import Municipality, WorkingGroup
from tif_portal.forms import CrispyMixin, TelInput, crispy

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class SiteForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Site
        fields = ["municipality", "kind", "company", "name", "external_id", "street", "postal_code", "city"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.visible_to(user)

    def clean_postal_code(self):
        from meetings.services.sites_csv import normalise_postal_code

        value = self.cleaned_data["postal_code"]
        if len("".join(c for c in value if c.isdigit())) != 5:
            raise forms.ValidationError(
                _("Ange ett postnummer med fem siffror, t.ex. 852 30.")
            )
        return normalise_postal_code(value)

    def clean(self):
        data = super().clean()
        company, external_id = data.get("company"), data.get("external_id")
        if company and external_id:
            others = Site.objects.filter(company=company, external_id=external_id).exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "external_id",
                    _(
                        "Företaget har redan en arbetsplats med det id:t."
                    ),
                )
        return data


class ContactForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "email", "phone", "language"]
        widgets = {"phone": TelInput}
        help_texts = {"language": _("Språket som inbjudningar och andra mejl skickas på.")}

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = Contact.objects.filter(site=self.site, email=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _(
                    "Det finns redan en kontaktperson med den adressen på arbetsplatsen."
                )
            )
        return email


class NetworkConsentForm(CrispyMixin, forms.Form):
    """The coordinator writes down that someone agreed to join the local network, and how."""

    submit_label = _("Lägg till i nätverket")

    confirm = forms.BooleanField(
        label=_("Personen har sagt ja till att vara med i det lokala nätverket och få utskick från arbetsgruppen via e-post"),
        error_messages={"required": _("Kryssa i att personen har sagt ja. Utan samtycke läggs ingen till.")},
    )
    note = forms.CharField(
        label=_("Hur personen sa ja"),
        max_length=200,
        help_text=_("T.ex. muntligt i telefon den 3 mars, eller på ett undertecknat papper."),
        error_messages={"required": _("Skriv hur personen sa ja, t.ex. i telefon eller på papper.")},
    )

    def __init__(self, *args, contact, **kwargs):
        super().__init__(*args, **kwargs)
        from django.urls import reverse

        self.helper.form_action = reverse("meetings:contact_network_join", args=[contact.pk])


class SiteImportForm(CrispyMixin, forms.Form):
    submit_label = _("Förhandsgranska")

    municipality = forms.ModelChoiceField(
        label=_("Kommun"),
        queryset=Municipality.objects.none(),
        help_text=_("Rader utan kommunkod hamnar i den här kommunen."),
    )
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "Kolumner: företag, typ, namn, id, adress, postnummer, ort, kommunkod (valfri), "
            "contact_name, contact_email, contact_phone (valfria)."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.visible_to(user)
        self.helper.form_enctype = "multipart/form-data"


def instructor_choices(user, county_ids=None):
    """Users with the instructor role who belong to a group in a county the user works in."""
    groups = WorkingGroup.objects.visible_to(user)
    counties = county_ids if county_ids is not None else groups.values("municipality__county_id")
    return (
        User.objects.filter(
            role=User.Role.INSTRUCTOR,
            is_active=True,
            memberships__working_group__municipality__county_id__in=counties,
        )
        .distinct()
        .order_by("name")
    )


def instructor_label(trained: dict):
    """The picker's label: name, agency, and the day of the instructor training when they have one."""

    def label(user) -> str:
        parts = [user.get_agency_display()] if user.agency else []
        if user.pk in trained:
            parts.append(_("utbildad instruktör %(date)s") % {"date": date_format(trained[user.pk])})
        return f"{user.name} ({', '.join(parts)})" if parts else user.name

    return label


class MeetingForm(CrispyMixin, forms.ModelForm):
    instructors = forms.ModelMultipleChoiceField(
        label=_("Instruktörer"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Poliser och tulltjänstemän i arbetsgrupper i samma län. De får mötet som kalenderfil."),
    )

    class Meta:
        model = Meeting
        fields = [
            "working_group",
            "kind",
            "site",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "address",
            "capacity",
            "registration_deadline",
            "reminder_days_before",
            "instructors",
            "agenda",
        ]
        widgets = {
            "starts_at": _datetime_input(),
            "ends_at": _datetime_input(),
            "registration_deadline": _datetime_input(),
            "agenda": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            # A meeting stays with its working group; its data is scoped by it.
            del self.fields["working_group"]
            county_ids = [self.instance.working_group.municipality.county_id]
            self.initial.setdefault("instructors", list(self.instance.instructors.all()))
        else:
            groups = WorkingGroup.objects.visible_to(user)
            self.fields["working_group"].queryset = groups
            if len(groups) == 1:
                self.initial.setdefault("working_group", groups[0].pk)
            county_ids = None
        # Left empty, the reminder keeps what it was (two days before for a new meeting).
        self.fields["reminder_days_before"].required = False
        self.fields["site"].queryset = Site.objects.visible_to(user).order_by("municipality__name", "name")
        self.fields["site"].label_from_instance = lambda s: f"{s.name} ({s.company}), {s.municipality}"
        choices = instructor_choices(user, county_ids)
        self.fields["instructors"].queryset = choices
        self.fields["instructors"].label_from_instance = instructor_label(trained_on(choices))

    def clean_title(self):
        # One line, as it stands in subjects and calendars.
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        data = super().clean()
        if data.get("reminder_days_before") is None and "reminder_days_before" not in self.errors:
            data["reminder_days_before"] = self.instance.reminder_days_before
        starts, ends, deadline = data.get("starts_at"), data.get("ends_at"), data.get("registration_deadline")
        if starts and ends and ends <= starts:
            self.add_error(
                "ends_at", _("Mötet måste sluta efter att det börjar.")
            )
        if starts and ends and ends - starts > timedelta(days=3):
            self.add_error("ends_at", _("Ett möte kan vara högst tre dagar."))
        if starts and deadline and deadline >= starts:
            self.add_error(
                "registration_deadline",
                _("Sista anmälningsdag måste vara före mötet."),
            )
        capacity = data.get("capacity")
        if capacity is not None and capacity <= 0:
            self.add_error("capacity", _("Ange minst en plats."))
        group = data.get("working_group") or (self.instance.working_group if self.instance.pk else None)
        self._clean_site(data, group)
        instructors = data.get("instructors") or []
        if group is not None:
            wrong = [
                u
                for u in instructors
                if not u.memberships.filter(
                    working_group__municipality__county_id=group.municipality.county_id
                ).exists()
            ]
            if wrong:
                self.add_error(
                    "instructors",
                    _(
                        "Välj instruktörer från samma län som arbetsgruppen."
                    ),
                )
        return data


    def _clean_site(self, data, group) -> None:
        """A workplace meeting needs its site, in the group's municipality; other kinds have none."""
        site = data.get("site")
        if data.get("kind") != Meeting.Kind.WORKPLACE:
            data["site"] = None
        elif site is None:
            self.add_error(
                "site",
                _("Välj arbetsplatsen som ni besöker. (Choose the workplace you visit.)"),
            )
        elif group is not None and site.municipality_id != group.municipality_id:
            self.add_error(
                "site",
                _(
                    "Välj en arbetsplats i arbetsgruppens kommun. (Choose a workplace in the working group's municipality.)"
                ),
            )


class MeetingCopyForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Antal veckor senare"),
        min_value=1,
        max_value=104,
        initial=52,
        error_messages={
            "min_value": _("Ange mellan 1 och 104 veckor."),
            "max_value": _("Ange mellan 1 och 104 veckor."),
            "required": _("Ange antal veckor."),
            "invalid": _("Ange ett heltal."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        crispy(self, _("Kopiera"))


class CountyMeetingForm(CrispyMixin, forms.ModelForm):
    """A training or county group meeting; an administrator also chooses the county."""

    class Meta:
        model = CountyMeeting
        fields = ["county", "kind", "title", "starts_at", "ends_at", "place", "address", "agenda"]
        widgets = {
            "starts_at": _datetime_input(),
            "ends_at": _datetime_input(),
            "agenda": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        if self.instance.pk or not user.is_admin:
            # A county officer plans for their own county; a meeting stays in its county.
            del self.fields["county"]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error(
                "ends_at", _("Mötet måste sluta efter att det börjar. (The meeting must end after it starts.)")
            )
        if starts and ends and ends - starts > timedelta(days=3):
            self.add_error("ends_at", _("Ett möte kan vara högst tre dagar. (A meeting can last at most three days.)"))
        return data


class CountyMinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minnesanteckningar"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        required=False,
    )


class RegionalManagerForm(CrispyMixin, forms.Form):
    """A regional manager and the sites of their company they answer for."""

    submit_label = _("Bjud in")

    name = forms.CharField(label=_("Namn"), max_length=150)
    email = forms.EmailField(label=_("E-post"))
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    language = forms.ChoiceField(
        label=_("Språk"), choices=[("sv", "Svenska"), ("en", "English")], initial="sv",
        help_text=_("Språket som inbjudan och andra mejl skickas på."),
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Arbetsplatser"),
        queryset=Site.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en arbetsplats. (Choose at least one workplace.)")},
        help_text=_("Arbetsplatserna som chefen ansvarar för; hen blir kontaktperson på var och en."),
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = sites
        self.fields["sites"].label_from_instance = lambda s: f"{s.name}, {s.address} ({s.municipality})"

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
