from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from municipalities.models import County, Membership, Municipality, WorkingGroup


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    search_fields = ["name", "code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality"]
    list_filter = ["municipality__county"]
    search_fields = ["name", "municipality__name"]
    inlines = [MembershipInline]
