from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import (
    ChecklistItem,
    Contact,
    CountyMeeting,
    CountyMeetingParticipant,
    Invitation,
    Meeting,
    MeetingInstructor,
    Minutes,
    NetworkConsent,
    RegionalManager,
    Registration,
    Site,
    WaitingListEntry,
)


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["name", "email", "phone", "language", "in_network", "left_network_at"]
    extra = 0
    show_change_link = True


@admin.register(Site)
class SiteAdmin(SimpleHistoryAdmin):
    list_display = ["name", "company", "kind", "external_id", "postal_code", "city", "municipality"]
    list_filter = ["kind", "company", "municipality__county"]
    search_fields = ["name", "external_id", "street", "postal_code", "city"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "email", "site", "language", "in_network", "erased_at"]
    list_filter = ["language", "in_network"]
    search_fields = ["name", "email", "site__name"]
    list_select_related = ["site"]
    raw_id_fields = ["site", "user"]


class MeetingInstructorInline(admin.TabularInline):
    model = MeetingInstructor
    raw_id_fields = ["user"]
    extra = 0


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    fields = ["position", "key", "done_at", "done_by"]
    raw_id_fields = ["done_by"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "working_group", "status", "sequence"]
    list_filter = ["kind", "status", "working_group__municipality__county"]
    search_fields = ["title", "place", "working_group__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["working_group"]
    raw_id_fields = ["working_group", "contact_person", "created_by"]
    readonly_fields = ["uid", "sequence"]
    inlines = [MeetingInstructorInline, ChecklistItemInline]


@admin.register(Registration)
class RegistrationAdmin(SimpleHistoryAdmin):
    list_display = ["contact", "meeting", "status", "checked_in_at"]
    list_filter = ["status"]
    raw_id_fields = ["meeting", "contact", "registered_by"]
    list_select_related = ["contact", "meeting"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["contact", "meeting", "created_at", "opened_at"]
    raw_id_fields = ["meeting", "contact"]
    list_select_related = ["contact", "meeting"]


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "written_by", "sent_at", "updated_at"]
    raw_id_fields = ["meeting", "written_by"]


@admin.register(WaitingListEntry)
class WaitingListEntryAdmin(SimpleHistoryAdmin):
    list_display = ["contact", "meeting", "created_at", "promoted_at", "withdrawn_at"]
    raw_id_fields = ["meeting", "contact", "registered_by", "registration"]
    list_select_related = ["contact", "meeting"]


@admin.register(NetworkConsent)
class NetworkConsentAdmin(admin.ModelAdmin):
    """A log of consents: read, not changed."""

    list_display = ["contact", "method", "given_at", "given_by", "recorded_by"]
    list_filter = ["method"]
    raw_id_fields = ["contact", "given_by", "recorded_by"]
    list_select_related = ["contact", "given_by", "recorded_by"]
    readonly_fields = ["contact", "method", "given_at", "given_by", "recorded_by", "note"]


class CountyMeetingParticipantInline(admin.TabularInline):
    model = CountyMeetingParticipant
    fields = ["user", "invited_at", "registered_at", "attended_at"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(CountyMeeting)
class CountyMeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "county", "starts_at", "status"]
    list_filter = ["kind", "status", "county"]
    search_fields = ["title", "place"]
    list_select_related = ["county"]
    raw_id_fields = ["follow_up_of", "created_by"]
    inlines = [CountyMeetingParticipantInline]


@admin.register(RegionalManager)
class RegionalManagerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "company", "email", "invited_at"]
    list_filter = ["company"]
    search_fields = ["name", "email", "company"]
    raw_id_fields = ["invited_by"]
