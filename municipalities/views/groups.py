from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require_manager
from followup import criteria as followup_criteria
from followup import selectors as followup_selectors
from meetings.services.county import trained_on
from municipalities import selectors, services
from municipalities.forms import MemberAddForm, WorkingGroupForm
from municipalities.models import County, Membership, WorkingGroup


def _member_add_form(group) -> MemberAddForm:
    """The add-a-member form on the group's page, posting to the add view."""
    form = MemberAddForm()
    form.helper.form_action = reverse("municipalities:member_add", args=[group.pk])
    return form


@login_required
def group_list(request):
    groups = selectors.groups_for(request.user)
    return render(request, "municipalities/group_list.html", {"groups": groups, "can_manage": request.user.can_manage})


@login_required
def group_detail(request, pk):
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)
    memberships = list(group.memberships.select_related("user"))
    trained = trained_on([m.user_id for m in memberships])
    for membership in memberships:
        membership.trained_day = trained.get(membership.user_id)
    meetings = group.meetings.upcoming()[:10]
    return render(
        request,
        "municipalities/group_detail.html",
        {
            "group": group,
            "memberships": memberships,
            "meetings": meetings,
            "can_manage": request.user.can_manage,
            "member_form": _member_add_form(group),
            "status": followup_criteria.group_status(group),
            **followup_selectors.group_followup_sections(group),
        },
    )


@login_required
def group_create(request):
    require_manager(request.user)
    form = WorkingGroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group = services.working_group_create(
            municipality=data.pop("municipality"), name=data.pop("name"), created_by=request.user, **data
        )
        messages.success(request, _("Arbetsgruppen är skapad."))
        return redirect(group)
    return render(request, "municipalities/group_form.html", {"form": form})


@login_required
def group_update(request, pk):
    require_manager(request.user)
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)
    form = WorkingGroupForm(request.POST or None, instance=group, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(group)
    return render(request, "municipalities/group_form.html", {"form": form, "group": group})


@login_required
def member_add(request, pk):
    require_manager(request.user)
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = services.member_add(group=group, request=request, **form.cleaned_data)[1]
        if created:
            messages.success(request, _("Personen är tillagd och har fått ett mejl för att välja lösenord."))
        else:
            messages.success(request, _("Personen är tillagd i gruppen."))
        return redirect(group)
    return render(request, "municipalities/member_form.html", {"form": form, "group": group})


@login_required
@require_POST
def member_remove(request, pk):
    require_manager(request.user)
    membership = get_object_or_404(Membership.objects.visible_to(request.user), pk=pk)
    group = membership.working_group
    services.member_remove(membership=membership)
    messages.success(request, _("Personen är borttagen ur gruppen."))
    return redirect(group)


@login_required
def county_detail(request, code):
    county = get_object_or_404(County.objects.visible_to(request.user), code=code)
    municipalities = selectors.county_overview(request.user, county)
    return render(request, "municipalities/county_detail.html", {"county": county, "municipalities": municipalities})
