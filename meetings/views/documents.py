"""The meeting's documents as PDF and as HTML for screen readers, letter batches and the logo.

Every view fetches the meeting through ``meetings.access`` first, so another municipality's
meeting gives 404 whatever the method. Documents that name participants (the attendance sheet,
a letter to a contact) and every change need the right to manage the meeting; the minutes are
also for its instructors.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from meetings import access
from meetings import pdf as meeting_pdf
from meetings.models import Contact, Meeting
from meetings.services import letters
from meetings.services import meetings as meeting_services
from municipalities import services as municipality_services
from tif_portal.forms import CrispyMixin, crispy

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 4000 * 4000
LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}

def _meeting_for(request, pk) -> Meeting:
    return access.visible_meeting(request.user, pk)


def _readable(request, pk, slug) -> Meeting:
    meeting = access.visible_meeting(request.user, pk)
    if not access.may_read_document(request.user, meeting, slug):
        raise PermissionDenied
    return meeting


def _only_get(request):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return None


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _filename(document: meeting_pdf.Document, meeting: Meeting | None = None, suffix: str = "") -> str:
    parts = [slugify(str(document.title))]
    if meeting is not None:
        parts.append(f"{meeting.starts_at:%Y-%m-%d}")
    if suffix:
        parts.append(suffix)
    return "-".join(parts) + ".pdf"


def _html_page(request, meeting, document, context, pdf_url):
    context = {**context, "document": document, "pdf_url": pdf_url, "meeting": meeting}
    return render(request, "meetings/documents/document_detail.html", context)


def _recipient(request, meeting):
    """The contact named by ?kontakt=, if the user manages the meeting and may see them; otherwise 404."""
    contact_id = request.GET.get("kontakt")
    if not contact_id:
        return None
    if not contact_id.isdigit() or not access.may_manage(request.user, meeting):
        raise Http404
    return get_object_or_404(
        Contact.objects.visible_to(request.user).filter(site__municipality=meeting.working_group.municipality_id),
        pk=contact_id,
    )


@login_required
def document_pdf(request, pk, slug):
    meeting = _readable(request, pk, slug)
    if refused := _only_get(request):
        return refused
    document = meeting_pdf.DOCUMENTS[slug]
    return _pdf_response(document.pdf(meeting), _filename(document, meeting))


@login_required
def document_html(request, pk, slug):
    meeting = _readable(request, pk, slug)
    if refused := _only_get(request):
        return refused
    document = meeting_pdf.DOCUMENTS[slug]
    return _html_page(request, meeting, document, document.context(meeting), document.pdf_url(meeting))


@login_required
def invitation_letter_pdf(request, pk):
    meeting = _meeting_for(request, pk)
    if refused := _only_get(request):
        return refused
    contact = _recipient(request, meeting)
    data = meeting_pdf.invitation_letter_pdf(meeting, contact)
    suffix = slugify(contact.name) if contact else ""
    return _pdf_response(data, _filename(meeting_pdf.DOCUMENTS["invitation"], meeting, suffix))


@login_required
def invitation_letter_html(request, pk):
    meeting = _meeting_for(request, pk)
    if refused := _only_get(request):
        return refused
    contact = _recipient(request, meeting)
    pdf_url = meeting_pdf.DOCUMENTS["invitation"].pdf_url(meeting)
    if contact:
        pdf_url += f"?kontakt={contact.pk}"
    context = meeting_pdf.invitation_letter_context(meeting, contact)
    context.pop("document_language", None)  # the page follows the reader's language
    return _html_page(request, meeting, meeting_pdf.DOCUMENTS["invitation"], context, pdf_url)


def _decal_size(size: str) -> str:
    if size not in meeting_pdf.DECAL_SIZES:
        raise Http404
    return size


@login_required
def decal_pdf(request, pk, size):
    _meeting_for(request, pk)  # the decal is the same for all, but only reachable from a visible meeting
    if refused := _only_get(request):
        return refused
    size = _decal_size(size)
    return _pdf_response(meeting_pdf.decal_pdf(size), _filename(meeting_pdf.DOCUMENTS["decal"], suffix=size))


@login_required
def decal_html(request, pk, size):
    meeting = _meeting_for(request, pk)
    if refused := _only_get(request):
        return refused
    size = _decal_size(size)
    pdf_url = meeting_pdf.DOCUMENTS["decal"].pdf_url(meeting, size)
    context = meeting_pdf.decal_context(size)
    context["sizes"] = meeting_pdf.DECAL_SIZES
    return _html_page(request, meeting, meeting_pdf.DOCUMENTS["decal"], context, pdf_url)


# Letters to many recipients ---------------------------------------------------------


class LetterRecipientsForm(forms.Form):
    contacts = forms.ModelMultipleChoiceField(
        label=_("Mottagare"),
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = recipients
        self.fields["contacts"].label_from_instance = lambda c: f"{c.name} – {c.site.name}"

    def clean_contacts(self):
        contacts = self.cleaned_data["contacts"]
        if not contacts:
            raise forms.ValidationError(
                _("Välj minst en mottagare."), code="required"
            )
        return contacts


@login_required
def invitation_letters_start(request, pk):
    meeting = access.managed_meeting(request.user, pk)
    recipients = letters.invitation_letter_recipients(meeting)
    if request.method == "POST":
        if "all" in request.POST:
            chosen = list(recipients)
            if not chosen:
                messages.error(request, _g("Ingen är inbjuden till mötet ännu. (No one is invited to the meeting yet.)"))
                return redirect("meetings:invitation_letters_start", pk=meeting.pk)
        else:
            form = LetterRecipientsForm(request.POST, recipients=recipients)
            if not form.is_valid():
                return _letters_page(request, meeting, recipients, form)
            chosen = list(form.cleaned_data["contacts"])
        job = letters.invitation_letters_start(meeting=meeting, contacts=chosen, started_by=request.user)
        return redirect(job)
    return _letters_page(request, meeting, recipients, LetterRecipientsForm(recipients=recipients))


def _letters_page(request, meeting, recipients, form):
    crispy(form, _g("Skapa brev till de valda"))
    form.helper.inputs[0].field_classes = "btn btn-outline-primary"
    return render(
        request,
        "meetings/documents/letters_form.html",
        {"meeting": meeting, "form": form, "recipient_count": recipients.count()},
    )


# The coordinator's wording and the municipality's logo ----------------------------------


class InvitationTextForm(CrispyMixin, forms.ModelForm):
    submit_label = _("Spara texten")

    class Meta:
        model = Meeting
        fields = ["invitation_text"]
        widgets = {"invitation_text": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "invitation_text": _(
                "Stycken skiljs åt med en tom rad. Tid, plats, sista anmälningsdag och kontaktperson "
                "skrivs ut under texten."
            )
        }


@login_required
def invitation_text_edit(request, pk):
    meeting = access.managed_meeting(request.user, pk)
    if request.method == "POST":
        form = InvitationTextForm(request.POST, instance=meeting)
        if form.is_valid():
            meeting_services.invitation_text_set(meeting=meeting, text=form.cleaned_data["invitation_text"])
            messages.success(request, _g("Inbjudningsbrevets text är sparad."))
            return redirect("meetings:invitation_letter_html", pk=meeting.pk)
    else:
        initial = {"invitation_text": meeting.invitation_text or meeting_pdf.invitation_default_text(meeting)}
        form = InvitationTextForm(instance=meeting, initial=initial)
    return render(request, "meetings/documents/invitation_text_form.html", {"meeting": meeting, "form": form})


class LogoForm(CrispyMixin, forms.Form):
    submit_label = _("Ladda upp logotypen")

    logo = forms.FileField(
        label=_("Logotyp"),
        help_text=_("PNG, JPEG, GIF eller WebP, högst 2 MB. Visas överst i inbjudningsbreven."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )

    def clean_logo(self):
        upload = self.cleaned_data["logo"]
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("Filen är större än 2 MB. Välj en mindre bild."),
                code="too_large",
            )
        try:
            upload.seek(0)
            with Image.open(upload) as image:
                width, height = image.size
                image.verify()
                image_format = image.format
        except Image.DecompressionBombError as bomb:
            # A small file that would unpack to gigabytes of pixels: refused before it is decoded.
            raise forms.ValidationError(
                _("Bilden har för många bildpunkter. Välj en bild på högst 4 000 × 4 000 bildpunkter."),
                code="too_many_pixels",
            ) from bomb
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            image_format = None
        else:
            if width * height > LOGO_MAX_PIXELS:
                raise forms.ValidationError(
                    _("Bilden har för många bildpunkter (%(width)s × %(height)s). Välj en bild på högst 4 000 × 4 000 bildpunkter."),
                    code="too_many_pixels", params={"width": width, "height": height},
                )
        if image_format not in LOGO_FORMATS:
            raise forms.ValidationError(
                _(
                    "Filen är ingen bild som går att använda. Välj en PNG-, JPEG-, GIF- eller WebP-fil."
                ),
                code="not_an_image",
            )
        upload.seek(0)
        upload.image_format = image_format
        return upload


@login_required
def logo_upload(request, pk):
    meeting = access.managed_meeting(request.user, pk)
    municipality = meeting.working_group.municipality
    if request.method == "POST":
        form = LogoForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["logo"]
            municipality_services.municipality_logo_replace(
                municipality=municipality, upload=upload, image_format=upload.image_format
            )
            messages.success(request, _g("Logotypen är uppladdad."))
            return redirect(meeting)
    else:
        form = LogoForm()
    return render(
        request,
        "meetings/documents/logo_form.html",
        {"meeting": meeting, "municipality": municipality, "form": form},
    )
