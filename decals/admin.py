from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from decals.models import CountyDecalSettings, DecalIssue, DecalOrder, DecalOrderEvent, DecalStock, DecalStockMovement


@admin.register(DecalIssue)
class DecalIssueAdmin(SimpleHistoryAdmin):
    list_display = ["site", "meeting", "size", "quantity", "recorded_at"]
    list_select_related = ["site", "meeting"]
    raw_id_fields = ["site", "meeting"]


class DecalOrderEventInline(admin.TabularInline):
    model = DecalOrderEvent
    extra = 0
    readonly_fields = ["from_state", "to_state", "by_user", "by_contact", "at", "note"]
    can_delete = False


@admin.register(DecalOrder)
class DecalOrderAdmin(SimpleHistoryAdmin):
    """Orders change state through the county's queue, which keeps stock and mails right."""

    list_display = ["pk", "site", "quantity", "size", "state", "placed_at"]
    list_filter = ["state", "size"]
    list_select_related = ["site"]
    search_fields = ["site__name", "delivery_name", "contact__email"]
    raw_id_fields = ["site", "contact"]
    readonly_fields = ["state", "approved_at", "approved_by", "shipped_at", "shipped_by", "rejected_at", "rejected_by"]
    inlines = [DecalOrderEventInline]


class DecalStockMovementInline(admin.TabularInline):
    model = DecalStockMovement
    extra = 0
    readonly_fields = ["kind", "change", "order", "issue", "meeting", "by", "at", "note"]
    can_delete = False


@admin.register(DecalStock)
class DecalStockAdmin(SimpleHistoryAdmin):
    list_display = ["county", "size", "quantity", "updated_at"]
    list_filter = ["size"]
    readonly_fields = ["quantity"]
    inlines = [DecalStockMovementInline]


@admin.register(CountyDecalSettings)
class CountyDecalSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["county", "coordinators_may_handle_orders", "eligibility_years"]
