from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from knowledge.models import AccessibilityReport, Page, PageImage


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    list_display = ["title_sv", "slug", "position", "published", "updated_at", "updated_by"]
    list_filter = ["published"]
    search_fields = ["title_sv", "title_en"]
    # Pages are edited on the site, where the text is sanitised.
    readonly_fields = ["body_sv", "body_en", "updated_at", "updated_by"]


@admin.register(PageImage)
class PageImageAdmin(SimpleHistoryAdmin):
    list_display = ["alt_sv", "image", "uploaded_at", "uploaded_by"]


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page_url", "handled_at"]
    list_filter = ["handled_at"]
    readonly_fields = ["page_url", "message", "name", "email", "created_at", "anonymised_at"]
