from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.models import Webhook, WebhookAttempt, WebhookDelivery
from api.upsert import MAX_BATCH
from decals.models import DecalOrder
from meetings.models import Contact, Meeting, Registration, Site
from municipalities.models import Municipality, WorkingGroup


class MunicipalitySerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.code", help_text=_("Länskoden, två siffror."))
    county_name = serializers.CharField(source="county.name")

    class Meta:
        model = Municipality
        fields = ["id", "code", "name", "official_name", "county", "county_name"]


class WorkingGroupSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", help_text=_("Kommunkoden, fyra siffror."))

    class Meta:
        model = WorkingGroup
        fields = ["id", "name", "municipality", "description", "decision_date", "decided_by", "follow_up_months", "created_at"]


class SiteSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code")
    contact_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Site
        fields = ["id", "company", "external_id", "kind", "name", "street", "postal_code", "city", "municipality", "contact_count", "created_at"]


class ContactSerializer(serializers.ModelSerializer):
    site = serializers.IntegerField(source="site_id")
    company = serializers.CharField(source="site.company")
    site_external_id = serializers.CharField(source="site.external_id")

    class Meta:
        model = Contact
        fields = ["id", "site", "company", "site_external_id", "name", "email", "phone", "language", "in_network", "left_network_at", "created_at"]


class MeetingSerializer(serializers.ModelSerializer):
    working_group = serializers.IntegerField(source="working_group_id")
    municipality = serializers.CharField(source="working_group.municipality.code")
    registration_count = serializers.IntegerField(read_only=True, help_text=_("Anmälda som inte har avanmält sig."))
    instructor_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "working_group", "municipality", "kind", "title", "starts_at", "ends_at", "place", "address",
            "capacity", "registration_deadline", "status", "registration_count", "instructor_count", "updated_at",
        ]


class RegistrationSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="meeting_id")
    contact = serializers.IntegerField(source="contact_id")
    contact_name = serializers.CharField(source="contact.name")
    contact_email = serializers.CharField(source="contact.email")
    site = serializers.IntegerField(source="contact.site_id")
    attended = serializers.SerializerMethodField(help_text=_("Om personen var på mötet (närvaro)."))

    class Meta:
        model = Registration
        fields = ["id", "meeting", "contact", "contact_name", "contact_email", "site", "status", "checked_in_at", "attended", "created_at"]

    def get_attended(self, registration) -> bool:
        return registration.checked_in_at is not None


class DecalOrderSerializer(serializers.ModelSerializer):
    site = serializers.IntegerField(source="site_id")
    municipality = serializers.CharField(source="site.municipality.code")

    class Meta:
        model = DecalOrder
        fields = [
            "id", "site", "municipality", "quantity", "size", "state", "delivery_name", "delivery_street",
            "delivery_postal_code", "delivery_city", "note", "rejection_reason", "placed_at", "approved_at",
            "shipped_at", "rejected_at",
        ]


class DecalOrderActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["approve", "reject", "ship"], help_text=_("approve, reject eller ship."))
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("Skälet till ett avslag."))


class SiteRowSerializer(serializers.Serializer):
    company = serializers.CharField(allow_blank=True, help_text=_("Företaget, t.ex. PostNord."))
    external_id = serializers.CharField(allow_blank=True, help_text=_("Företagets eget id för arbetsplatsen: nyckeln."))
    kind = serializers.CharField(required=False, allow_blank=True, help_text=_("ombud, terminal, brevbärarkontor eller paketbox."))
    name = serializers.CharField(allow_blank=True)
    street = serializers.CharField(allow_blank=True)
    postal_code = serializers.CharField(allow_blank=True)
    city = serializers.CharField(allow_blank=True)
    municipality_code = serializers.CharField(required=False, allow_blank=True)
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_email = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)


class SiteBatchSerializer(serializers.Serializer):
    municipality = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Kommunkoden för rader utan egen kod.")
    )
    rows = SiteRowSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)


class ContactRowSerializer(serializers.Serializer):
    company = serializers.CharField(allow_blank=True)
    external_id = serializers.CharField(allow_blank=True, help_text=_("Arbetsplatsens id hos företaget."))
    name = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)


class ContactBatchSerializer(serializers.Serializer):
    rows = ContactRowSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)


class RowResultSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    external_id = serializers.CharField()
    result = serializers.ChoiceField(choices=["create", "update", "unchanged", "duplicate", "error"])
    site = serializers.IntegerField(allow_null=True)
    changes = serializers.ListField(child=serializers.CharField())
    contact = serializers.CharField(help_text=_("create, update, unchanged eller tomt."))
    contact_id = serializers.IntegerField(allow_null=True)
    messages = serializers.ListField(child=serializers.CharField())


class UpsertResultSerializer(serializers.Serializer):
    saved = serializers.BooleanField()
    message = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rows = RowResultSerializer(many=True)


class DashboardRowSerializer(serializers.Serializer):
    municipality = serializers.CharField(allow_null=True)
    values = serializers.DictField()


class DashboardSerializer(serializers.Serializer):
    county = serializers.CharField()
    year = serializers.IntegerField()
    rows = DashboardRowSerializer(many=True)
    total = serializers.DictField()


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Webhook.Event.choices), allow_empty=False,
        help_text=_("Händelserna som ska skickas."),
    )

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "active", "created_at"]
        read_only_fields = ["created_at"]

    def validate_url(self, url):
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        local = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not local:
            raise serializers.ValidationError(_("Adressen ska börja med https://."))
        return url


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(read_only=True, help_text=_("Hemligheten som signerar leveranserna. Visas bara nu."))

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["at", "ok", "status_code", "detail"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    attempts_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event", "state", "attempts", "next_attempt_at", "last_error", "created_at", "delivered_at", "payload", "attempts_log"]
