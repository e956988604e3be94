import json
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from knowledge import material, personal_data, search, services
from knowledge.forms import (
    AccessibilityReportForm,
    ConfirmForm,
    ContactSheetForm,
    MaterialForm,
    NetworkJoinForm,
    PageForm,
    PageImageForm,
    SearchForm,
)
from knowledge.models import Material, Page, PageImage, can_edit_knowledge
from meetings.access import visible_meeting
from meetings.models import Contact
from meetings.services.network import leaving_consequences
from municipalities.models import WorkingGroup
from tif_portal import privacy
from tif_portal.pdf import render_pdf
from tif_portal.ratelimits import by_client, over_limit

# When the accessibility statement's self-assessment was last made and the text revised.
ACCESSIBILITY_ASSESSED = date(2026, 11, 23)
ACCESSIBILITY_UPDATED = date(2026, 11, 23)


def _posted(request):
    """The submitted data for a POST (even an empty one), None for a GET."""
    return request.POST if request.method == "POST" else None


# Knowledge pages -------------------------------------------------------------------


def page_list(request):
    pages = Page.objects.visible_to(request.user)
    return render(
        request,
        "knowledge/page_list.html",
        {"pages": pages, "search_form": SearchForm(), "can_edit": can_edit_knowledge(request.user)},
    )


def page_search(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    pages = Page.objects.visible_to(request.user)
    results = search.pages_search(pages, query, translation.get_language()) if query else Page.objects.none()
    page_obj = Paginator(results, 50).get_page(request.GET.get("page"))
    for page in page_obj:
        page.excerpt = search.excerpt_html(page, query)
    return render(request, "knowledge/page_search.html", {"form": form, "query": query, "page_obj": page_obj})


def page_detail(request, slug):
    page = get_object_or_404(Page.objects.visible_to(request.user), slug=slug)
    return render(request, "knowledge/page_detail.html", {
        "page": page, "can_edit": can_edit_knowledge(request.user), "materials": page.materials.all(),
    })


def _require_editor(user):
    if not can_edit_knowledge(user):
        raise PermissionDenied


@login_required
def page_create(request):
    _require_editor(request.user)
    form = PageForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        page = services.page_save(data=form.cleaned_data, edited_by=request.user)
        messages.success(request, _("Sidan är skapad."))
        return redirect(page)
    return render(request, "knowledge/page_form.html", {"form": form, "page": None})


@login_required
def page_update(request, slug):
    _require_editor(request.user)
    page = get_object_or_404(Page.objects.visible_to(request.user), slug=slug)
    form = PageForm(_posted(request), instance=page)
    if request.method == "POST" and form.is_valid():
        page = services.page_save(page=page, data=form.cleaned_data, edited_by=request.user)
        messages.success(request, _("Sidan är sparad. Den tidigare versionen finns i versionshistoriken."))
        return redirect(page)
    return render(request, "knowledge/page_form.html", {"form": form, "page": page})


@login_required
def page_history(request, slug):
    _require_editor(request.user)
    page = get_object_or_404(Page.objects.visible_to(request.user), slug=slug)
    versions = page.history.select_related("history_user").order_by("-history_date", "-history_id")
    page_obj = Paginator(versions, 50).get_page(request.GET.get("page"))
    return render(request, "knowledge/page_history.html", {"page": page, "page_obj": page_obj})


@login_required
def page_version(request, slug, version):
    _require_editor(request.user)
    page = get_object_or_404(Page.objects.visible_to(request.user), slug=slug)
    record = get_object_or_404(page.history.select_related("history_user"), history_id=version)
    return render(request, "knowledge/page_version.html", {"page": page, "record": record, "old": record.instance})


@login_required
def image_list(request):
    _require_editor(request.user)
    form = PageImageForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.page_image_add(uploaded_by=request.user, **form.cleaned_data)
        messages.success(request, _("Bilden är uppladdad. Kopiera koden nedan till sidans text."))
        return redirect("knowledge:image_list")
    page_obj = Paginator(PageImage.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "knowledge/image_list.html", {"form": form, "page_obj": page_obj})


# Local contact sheet -------------------------------------------------------------------


def _public_group(group_id):
    return get_object_or_404(WorkingGroup.objects.select_related("municipality__county"), pk=group_id)


def contact_sheet(request, group_id):
    """Public: the group's police, customs and municipal contacts who agreed to be shown."""
    group = _public_group(group_id)
    return render(
        request,
        "knowledge/contact_sheet_detail.html",
        {
            "group": group,
            "contacts": services.published_contacts([group]),
            "can_choose": getattr(request.user, "can_manage", False)
            and WorkingGroup.objects.visible_to(request.user).filter(pk=group.pk).exists(),
        },
    )


def contact_sheet_pdf(request, group_id):
    group = _public_group(group_id)
    title = _("Lokala kontakter – %(group)s") % {"group": group.name}
    pdf = render_pdf(
        "knowledge/pdf/contact_sheet.html",
        {"group": group, "contacts": services.published_contacts([group]), "site_url": settings.SITE_URL},
        request=request,
        title=title,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kontakter-{group.pk}.pdf"'
    return response


@login_required
def contact_sheet_choose(request, group_id):
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=group_id)
    if not request.user.can_manage:
        raise PermissionDenied
    memberships = list(group.memberships.select_related("user").order_by("role", "user__name"))
    form = ContactSheetForm(_posted(request), memberships=memberships)
    if request.method == "POST" and form.is_valid():
        services.contact_sheet_choose(group=group, membership_ids=form.cleaned_data["members"], chosen_by=request.user)
        messages.success(request, _("Kontaktbladet är uppdaterat."))
        return redirect("knowledge:contact_sheet", group_id=group.pk)
    return render(
        request, "knowledge/contact_sheet_form.html", {"group": group, "form": form, "memberships": memberships}
    )


# Privacy notice and accessibility statement -------------------------------------------------


def _organisation() -> dict:
    return {"organisation": settings.TIF_ORGANISATION, "contact_email": settings.TIF_CONTACT_EMAIL}


def privacy_notice(request):
    rows = [{"label": privacy.entry_label(entry), "entry": entry} for entry in privacy.REGISTRY]
    return render(
        request,
        "knowledge/privacy_notice.html",
        {
            "rows": rows,
            "my_page_url": reverse("contact:my_page"),
            "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
            **_organisation(),
        },
    )


def _statement(request, form, status=200):
    context = {
        "form": form,
        "assessed": ACCESSIBILITY_ASSESSED,
        "updated": ACCESSIBILITY_UPDATED,
        **_organisation(),
    }
    return render(request, "knowledge/accessibility_statement.html", context, status=status)


def accessibility_statement(request):
    return _statement(request, AccessibilityReportForm(initial={"page_url": request.GET.get("sida", "")[:500]}))


@require_POST
def accessibility_report(request):
    form = AccessibilityReportForm(request.POST)
    if over_limit(request, group="accessibility-report", key=by_client, rate="10/h"):
        messages.error(request, _("Du har skickat många synpunkter på kort tid. Försök igen om en stund."))
        return _statement(request, form, status=429)
    if not form.is_valid():
        return _statement(request, form, status=400)
    services.accessibility_report_submit(**form.cleaned_data)
    return redirect("knowledge:accessibility_report_sent")


def accessibility_report_sent(request):
    return render(request, "knowledge/accessibility_report_sent.html")


# The agent contact's own data ---------------------------------------------------------------


def _contact_user(request):
    """The signed-in agent contact, or None (the caller sends them to the sign-in page)."""
    if not Contact.objects.own(request.user).exists():
        return None
    personal_data.contact_touch(user=request.user)
    return request.user


def my_data(request):
    user = _contact_user(request)
    if user is None:
        return redirect("contact:my_page")
    data = personal_data.contact_data_in_words(personal_data.contact_data_export(user=user))
    return render(request, "knowledge/my_data.html", {"data": data})


def my_data_download(request, fmt):
    user = _contact_user(request)
    if user is None:
        return redirect("contact:my_page")
    data = personal_data.contact_data_export(user=user)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(personal_data.contact_data_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="mina-uppgifter-{stamp}.{fmt}"'
    return response


@require_http_methods(["GET", "POST"])
def network_leave(request):
    """Ask first, saying what leaving means for each workplace's decals; leave on POST."""
    user = _contact_user(request)
    if user is None:
        return redirect("contact:my_page")
    if request.method == "POST":
        personal_data.contact_leave_network(user=user)
        messages.success(request, _("Du har lämnat det lokala nätverket och får inga fler utskick från det."))
        return redirect("contact:my_page")
    consequences = leaving_consequences(Contact.objects.own(user))
    if not consequences:
        messages.info(request, _("Du är inte med i det lokala nätverket."))
        return redirect("contact:my_page")
    return render(request, "knowledge/network_leave.html", {"consequences": consequences})


@require_POST
def network_join(request):
    """Join the local network from Mina sidor; the consent is the ticked box, kept with the time."""
    user = _contact_user(request)
    if user is None:
        return redirect("contact:my_page")
    form = NetworkJoinForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("consent", []):
            messages.error(request, error)
        return redirect(reverse("contact:my_page") + "#my-network")
    personal_data.contact_join_network(user=user)
    messages.success(request, _("Du är med i det lokala nätverket och får information från arbetsgruppen via e-post."))
    return redirect(reverse("contact:my_page") + "#my-network")


def my_data_erase(request):
    user = _contact_user(request)
    if user is None:
        return redirect("contact:my_page")
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        personal_data.contact_erase(user=user)
        logout(request)
        return redirect("contact:my_data_erased")
    return render(request, "knowledge/my_data_erase.html", {"form": form})


def my_data_erased(request):
    return render(request, "knowledge/my_data_erased.html")


# Material to pass on ---------------------------------------------------------------------------


def _material_response(material: Material):
    if material.is_link or not material.file:
        raise Http404
    return FileResponse(
        material.file.open("rb"), content_type=material.content_type or "application/octet-stream",
        filename=material.filename, as_attachment=True,
    )


def _material_form_page(request, *, meeting=None, page=None, may_add: bool, template: str, back: str):
    form = MaterialForm(request.POST or None, request.FILES or None) if may_add else None
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if form.is_valid():
            material.material_add(added_by=request.user, meeting=meeting, page=page, **form.cleaned_data)
            messages.success(request, _("Materialet är tillagt."))
            return redirect(back)
    items = Material.objects.filter(meeting=meeting) if meeting else Material.objects.filter(page=page)
    return render(request, template, {"meeting": meeting, "page": page, "form": form, "materials": items, "may_add": may_add})


@login_required
def meeting_material(request, pk):
    """A meeting's material: everyone who sees the meeting reads it; those who manage it add to it."""
    meeting = visible_meeting(request.user, pk)
    return _material_form_page(
        request, meeting=meeting, may_add=material.may_add_to_meeting(request.user, meeting),
        template="knowledge/material_meeting.html", back=reverse("knowledge:meeting_material", args=[meeting.pk]),
    )


@login_required
def page_material(request, slug):
    _require_editor(request.user)
    page = get_object_or_404(Page.objects.visible_to(request.user), slug=slug)
    return _material_form_page(
        request, page=page, may_add=True, template="knowledge/material_page.html",
        back=reverse("knowledge:page_material", args=[page.slug]),
    )


@login_required
@require_POST
def material_delete(request, pk):
    item = get_object_or_404(Material.objects.visible_to(request.user), pk=pk)
    back = (
        reverse("knowledge:meeting_material", args=[item.meeting_id]) if item.meeting_id
        else reverse("knowledge:page_material", args=[item.page.slug])
    )
    material.material_remove(material=item, by=request.user)
    messages.success(request, _("Materialet är borttaget."))
    return redirect(back)


def material_file(request, pk):
    """A file of a published knowledge page (anyone) or of a meeting (those who see the meeting)."""
    return _material_response(get_object_or_404(Material.objects.visible_to(request.user), pk=pk))


@never_cache
def material_personal(request, token):
    """What a participant may take home and pass on, opened by their registration's own link."""
    registration = material.registration_for_link(token)
    if registration is None:
        raise Http404
    return render(request, "knowledge/material_personal.html", {
        "registration": registration, "meeting": registration.meeting,
        "materials": Material.objects.filter(meeting=registration.meeting), "token": token,
    })


@never_cache
def material_personal_file(request, token, pk):
    registration = material.registration_for_link(token)
    if registration is None:
        raise Http404
    return _material_response(get_object_or_404(Material, pk=pk, meeting=registration.meeting))
