"""The group's plans: step 1's decision and vision, goals, the situation picture, the action
plan and the communication plan, on one page with a form per part."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import require_manager
from municipalities import plans as services
from municipalities.forms import PLAN_FORMS, DecisionForm
from municipalities.models import ActionItem, CommunicationItem, Goal, SituationEntry, WorkingGroup
from tif_portal.uploads import content_type_for

PAGE_SIZE = 50


def _may_add(user, group, kind) -> bool:
    # Instructors record situation-picture entries; the plans are the coordinator's.
    if kind == "situation" and services.may_record_situation(user, group):
        return True
    return user.can_manage


def _plans_url(group_id, kind: str) -> str:
    return reverse("municipalities:plans", args=[group_id]) + f"#{kind}"


def _forms_for(request, group, kind):
    forms = {}
    for name, form_class in PLAN_FORMS.items():
        form = form_class(request.POST if kind == name else None, group=group)
        form.helper.form_tag = False
        form.helper.inputs[0].id = f"submit-{name}"  # several forms on one page, one id each
        forms[name] = form
    return forms


@login_required
def plans(request, pk):
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)
    kind = request.POST.get("kind") if request.method == "POST" else None
    forms = _forms_for(request, group, kind)
    if request.method == "POST":
        if kind not in PLAN_FORMS:
            return redirect("municipalities:plans", pk=group.pk)
        if not _may_add(request.user, group, kind):
            raise PermissionDenied
        if forms[kind].is_valid():
            try:
                services.plan_item_create(kind=kind, group=group, created_by=request.user, **forms[kind].cleaned_data)
            except ValidationError as error:
                forms[kind].add_error(None, error)
            else:
                messages.success(request, _("Planen är uppdaterad."))
                return redirect(_plans_url(group.pk, kind))
    show_retired = request.GET.get("inaktuella") == "1"
    situation = SituationEntry.objects.filter(working_group=group).select_related("recorded_by")
    if not show_retired:
        situation = situation.filter(retired_at__isnull=True)
    return render(
        request,
        "municipalities/plans.html",
        {
            "group": group,
            "forms": forms,
            "goals": Goal.objects.filter(working_group=group)[:PAGE_SIZE],
            "situation": situation[:PAGE_SIZE],
            "show_retired": show_retired,
            "retired_count": SituationEntry.objects.filter(working_group=group, retired_at__isnull=False).count(),
            "actions": ActionItem.objects.filter(working_group=group).select_related("owner")[: PAGE_SIZE * 4],
            "communication": CommunicationItem.objects.filter(working_group=group)[: PAGE_SIZE * 4],
            "can_manage": request.user.can_manage,
            "may_add_situation": _may_add(request.user, group, "situation"),
            "today": timezone.localdate(),
        },
    )


def _plan_item_update(request, pk, model, kind):
    item = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    if not _may_add(request.user, item.working_group, kind):
        raise PermissionDenied
    form = PLAN_FORMS[kind](request.POST or None, instance=item, group=item.working_group)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(item=item, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(_plans_url(item.working_group_id, kind))
    return render(
        request,
        "municipalities/plan_item_form.html",
        {"form": form, "item": item, "group": item.working_group, "kind": kind},
    )


@login_required
def action_update(request, pk):
    return _plan_item_update(request, pk, ActionItem, "action")


@login_required
def communication_update(request, pk):
    return _plan_item_update(request, pk, CommunicationItem, "communication")


@login_required
def goal_update(request, pk):
    return _plan_item_update(request, pk, Goal, "goal")


@login_required
def situation_update(request, pk):
    return _plan_item_update(request, pk, SituationEntry, "situation")


@login_required
@require_POST
def situation_retire(request, pk):
    entry = get_object_or_404(SituationEntry.objects.visible_to(request.user), pk=pk)
    if not _may_add(request.user, entry.working_group, "situation"):
        raise PermissionDenied
    if request.POST.get("restore"):
        services.situation_entry_restore(entry=entry, by=request.user)
        messages.success(request, _("Posten är tillbaka i lägesbilden."))
    else:
        services.situation_entry_retire(entry=entry, by=request.user)
        messages.success(request, _("Posten är markerad som inaktuell och visas inte längre i lägesbilden."))
    return redirect(_plans_url(entry.working_group_id, "situation"))


# Step 1 ------------------------------------------------------------------------------------


@login_required
def decision_update(request, pk):
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)
    require_manager(request.user)
    form = DecisionForm(request.POST or None, request.FILES or None, instance=group)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.decision_save(group=group, by=request.user, **data)
        messages.success(request, _("Beslutet är sparat."))
        return redirect(_plans_url(group.pk, "decision"))
    if request.method == "POST":
        # The form came back: the old values stay on the group, the typed ones in the form.
        group.refresh_from_db()
    return render(request, "municipalities/decision_form.html", {"form": form, "group": group})


@login_required
def decision_document(request, pk):
    """The decision document, for anyone who sees the group; from the private storage."""
    group = get_object_or_404(WorkingGroup.objects.visible_to(request.user), pk=pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    if not group.decision_document:
        raise Http404
    name = group.decision_document.name.rsplit("/", 1)[-1]
    return FileResponse(
        group.decision_document.open("rb"), content_type=content_type_for(name), filename=name, as_attachment=True
    )
