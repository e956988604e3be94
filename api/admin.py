from django.contrib import admin

from api.models import ApiToken, Webhook, WebhookAttempt, WebhookDelivery


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "scope", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["scope"]
    search_fields = ["name", "user__email", "hint"]
    readonly_fields = ["digest", "hint", "last_used_at"]


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["url", "owner", "active", "created_at"]
    search_fields = ["url", "owner__email"]
    exclude = ["secret"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    readonly_fields = ["at", "ok", "status_code", "detail"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "webhook", "state", "attempts", "created_at", "delivered_at"]
    list_filter = ["state", "event"]
    inlines = [WebhookAttemptInline]
