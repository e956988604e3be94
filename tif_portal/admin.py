from django.contrib import admin

from tif_portal.models import DeliveryAttempt, OutboundEmail


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    readonly_fields = ["at", "outcome", "smtp_code", "detail"]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["to", "purpose", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "purpose"]
    search_fields = ["to", "key"]
    inlines = [DeliveryAttemptInline]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
