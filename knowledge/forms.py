from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from knowledge.models import Page, PageImage
from knowledge.services import html_images_without_alt
from tif_portal.forms import CrispyMixin
from tif_portal.uploads import DOCUMENT_TYPES, validate_document

FORMAT_HELP = _(
    "Skriv enkel HTML. Tillåtet: stycken (p), rubriker (h2, h3), listor (ul, ol, li), fetstil (strong), "
    "kursiv (em), länkar (a med href) och bilder (img med src och alt). Allt annat tas bort när sidan sparas. "
    "Bilder måste ha alternativtext."
)


ALT_REQUIRED = _("Skriv en alternativtext som beskriver bilden.")


class PageForm(CrispyMixin, forms.ModelForm):
    class Meta:
        model = Page
        fields = [
            "title_sv",
            "title_en",
            "summary_sv",
            "summary_en",
            "body_sv",
            "body_en",
            "slug",
            "position",
            "published",
        ]
        # The English texts are marked as English (WCAG 3.1.2): read aloud in English, and
        # spelling checked as English.
        widgets = {
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "summary_en": forms.TextInput(attrs={"lang": "en"}),
            "body_sv": forms.Textarea(attrs={"rows": 18}),
            "body_en": forms.Textarea(attrs={"rows": 18, "lang": "en"}),
        }
        help_texts = {"body_sv": FORMAT_HELP, "body_en": FORMAT_HELP}

    def _check_images(self, name):
        value = self.cleaned_data.get(name, "")
        if html_images_without_alt(value):
            raise ValidationError(
                _('Ge varje bild en alternativtext (alt="…").'),
                code="image_without_alt",
            )
        return value

    def clean_body_sv(self):
        return self._check_images("body_sv")

    def clean_body_en(self):
        return self._check_images("body_en")


class PageImageForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Ladda upp")

    class Meta:
        model = PageImage
        fields = ["image", "alt_sv", "alt_en"]
        help_texts = {
            "alt_sv": _("Beskriv vad bilden visar för den som inte ser den."),
        }
        error_messages = {"alt_sv": {"required": ALT_REQUIRED}}

    def clean_alt_sv(self):
        alt = (self.cleaned_data.get("alt_sv") or "").strip()
        if not alt:
            raise ValidationError(ALT_REQUIRED)
        return alt

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image.size > 5 * 1024 * 1024:
            raise ValidationError(_("Välj en bild som är mindre än 5 MB."))
        return image


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Sök på kunskapssidorna"), max_length=100, required=False)


class ContactSheetForm(forms.Form):
    """One checkbox per member of the working group: shown on the contact sheet or not."""

    members = forms.MultipleChoiceField(
        label=_("Visa på kontaktbladet"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(m.pk, f"{m.user.name} – {m.get_role_display()}") for m in memberships]
        self.fields["members"].initial = [m.pk for m in memberships if m.publish_contact]


class AccessibilityReportForm(CrispyMixin, forms.Form):
    submit_label = _("Skicka")
    form_action = "knowledge:accessibility_report"

    page_url = forms.CharField(label=_("Vilken sida gäller det? (valfritt)"), max_length=500, required=False)
    message = forms.CharField(label=_("Beskriv problemet"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    name = forms.CharField(
        label=_("Ditt namn (valfritt)"), max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Din e-postadress (valfritt, om du vill ha svar)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 5:
            raise ValidationError(_("Beskriv problemet med några ord."))
        return message


class ConfirmForm(CrispyMixin, forms.Form):
    submit_label = _("Ja, radera mina uppgifter")

    confirm = forms.BooleanField(
        label=_("Jag förstår att mina personuppgifter tas bort och att jag inte längre kan logga in."),
        error_messages={"required": _("Kryssa i rutan för att bekräfta.")},
    )


class NetworkJoinForm(forms.Form):
    """Joining the local network from Mina sidor: the ticked box is the consent."""

    consent = forms.BooleanField(
        label=_("Jag vill vara med i det lokala nätverket och få information från arbetsgruppen via e-post"),
        error_messages={"required": _("Kryssa i rutan för att gå med i nätverket.")},
    )


class MaterialForm(CrispyMixin, forms.Form):
    """A file (PDF, presentation) or a link (the film) to pass on; one of the two."""

    submit_label = _("Lägg till materialet")

    title = forms.CharField(label=_("Rubrik"), max_length=200,
                            error_messages={"required": _("Ge materialet en rubrik. (Give the material a title.)")})
    description = forms.CharField(label=_("Beskrivning (valfritt)"), max_length=500, required=False)
    file = forms.FileField(
        label=_("Fil"), required=False, validators=[validate_document],
        help_text=_("PDF, PowerPoint (.pptx), Word (.docx) eller OpenDocument (.odp, .odt), högst 25 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(DOCUMENT_TYPES)}),
    )
    url = forms.URLField(
        label=_("eller en länk"), required=False, max_length=500, assume_scheme="https",
        help_text=_("Till exempel filmen på en videotjänst. Länken ska börja med https://."),
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and not url.startswith("https://"):
            raise ValidationError(_("Länken ska börja med https://. (The link must start with https://.)"))
        return url

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("file")) == bool(data.get("url")):
            raise ValidationError(
                _("Ladda upp en fil eller ange en länk, inte båda. (Upload a file or give a link, not both.)")
                if data.get("file") else _("Ladda upp en fil eller ange en länk. (Upload a file or give a link.)")
            )
        return data
