"""The API's endpoints: each a scoped queryset (the same ``visible_to`` and selectors the
portal's views use) and, for writes, the same services."""

import hashlib

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api import services, upsert
from api.errors import UNPROCESSABLE
from api.filters import (
    ContactFilter,
    DecalOrderFilter,
    MeetingFilter,
    RegistrationFilter,
    SiteFilter,
    WorkingGroupFilter,
)
from api.models import Webhook, WebhookDelivery
from decals import services as decal_services
from decals.models import DecalOrder
from followup import dashboard
from meetings.models import Contact, Registration
from meetings.selectors import meetings_for, sites_for
from municipalities.models import County, Municipality, WorkingGroup


class ETagMixin:
    """An ETag on every successful read; ``If-None-Match`` with it answers 304 without the body.

    The tag is a digest of the body, which depends on the token's owner and the language:
    ``Vary`` says so to caches in between.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept-Language", "Authorization"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:40])
        response["ETag"] = etag
        return get_conditional_response(request, etag=etag, response=response)


class ReadViewSet(ETagMixin, viewsets.ReadOnlyModelViewSet):
    pass


@extend_schema_view(
    list=extend_schema(summary=_("Kommuner"), description=_("Kommunerna som nyckelns ägare ser, med kod och län.")),
    retrieve=extend_schema(summary=_("En kommun"), description=_("En kommun, efter SCB:s fyrsiffriga kod.")),
)
class MunicipalityViewSet(ReadViewSet):
    serializer_class = s.MunicipalitySerializer
    lookup_field = "code"
    filterset_fields = ["county__code"]

    def get_queryset(self):
        return Municipality.objects.visible_to(self.request.user).order_by("code")


@extend_schema_view(
    list=extend_schema(summary=_("Arbetsgrupper"), description=_("De lokala arbetsgrupperna som nyckelns ägare ser.")),
    retrieve=extend_schema(summary=_("En arbetsgrupp")),
)
class WorkingGroupViewSet(ReadViewSet):
    serializer_class = s.WorkingGroupSerializer
    filterset_class = WorkingGroupFilter

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.request.user).order_by("pk")


def _upsert_response(result: upsert.UpsertResult) -> Response:
    body = {
        "saved": result.saved,
        "message": str(result.message),
        "counts": result.counts,
        "rows": [vars(row) | {"messages": [str(m) for m in row.messages]} for row in result.rows],
    }
    return Response(body, status=200 if result.saved else UNPROCESSABLE)


@extend_schema_view(
    list=extend_schema(summary=_("Arbetsplatser"), description=_("Ombud, terminaler, brevbärarkontor och paketboxar som nyckelns ägare ser.")),
    retrieve=extend_schema(summary=_("En arbetsplats")),
)
class SiteViewSet(ReadViewSet):
    serializer_class = s.SiteSerializer
    filterset_class = SiteFilter

    def get_queryset(self):
        return sites_for(self.request.user).order_by("pk")

    @extend_schema(
        summary=_("Spara arbetsplatser efter företagets id"),
        description=_(
            "Skapar eller uppdaterar upp till 1 000 arbetsplatser (och en kontaktperson per rad) efter "
            "(företag, företagets id), med samma kontroller och meddelanden som CSV-importen. Allt eller "
            "inget: en rad med fel gör att inget sparas, och varje rad får sitt resultat. Samma sats två "
            "gånger ändrar ingenting andra gången."
        ),
        request=s.SiteBatchSerializer,
        responses={200: s.UpsertResultSerializer, 422: s.UpsertResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def upsert(self, request):
        batch = s.SiteBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        result = upsert.sites_upsert(
            rows=batch.validated_data["rows"], user=request.user, municipality_code=batch.validated_data.get("municipality", "")
        )
        return _upsert_response(result)


@extend_schema_view(
    list=extend_schema(summary=_("Kontaktpersoner"), description=_("Personer på arbetsplatserna; bara för roller som hanterar en arbetsgrupp.")),
    retrieve=extend_schema(summary=_("En kontaktperson")),
)
class ContactViewSet(ReadViewSet):
    serializer_class = s.ContactSerializer
    filterset_class = ContactFilter

    def get_queryset(self):
        return Contact.objects.visible_to(self.request.user).filter(erased_at__isnull=True).order_by("pk")

    @extend_schema(
        summary=_("Spara kontaktpersoner efter arbetsplatsens id"),
        description=_(
            "Skapar eller uppdaterar upp till 1 000 kontaktpersoner efter arbetsplatsens (företag, id) och "
            "e-postadressen, med CSV-importens kontroller. Allt eller inget, med ett resultat per rad."
        ),
        request=s.ContactBatchSerializer,
        responses={200: s.UpsertResultSerializer, 422: s.UpsertResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def upsert(self, request):
        batch = s.ContactBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        return _upsert_response(upsert.contacts_upsert(rows=batch.validated_data["rows"], user=request.user))


@extend_schema_view(
    list=extend_schema(summary=_("Möten"), description=_("Mötena som nyckelns ägare ser, med antal anmälda och instruktörer.")),
    retrieve=extend_schema(summary=_("Ett möte")),
)
class MeetingViewSet(ReadViewSet):
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return meetings_for(self.request.user).order_by("-starts_at", "pk")


@extend_schema_view(
    list=extend_schema(
        summary=_("Anmälningar och närvaro"),
        description=_("Anmälningar till mötena, med närvaro; bara för roller som hanterar mötet (samordnaren)."),
    ),
    retrieve=extend_schema(summary=_("En anmälan")),
)
class RegistrationViewSet(ReadViewSet):
    serializer_class = s.RegistrationSerializer
    filterset_class = RegistrationFilter

    def get_queryset(self):
        return Registration.objects.visible_to(self.request.user).order_by("pk")


@extend_schema_view(
    list=extend_schema(summary=_("Dekalbeställningar"), description=_("Beställningarna som länet (eller samordnaren, om länet tillåter) hanterar.")),
    retrieve=extend_schema(summary=_("En dekalbeställning")),
)
class DecalOrderViewSet(ReadViewSet):
    serializer_class = s.DecalOrderSerializer
    filterset_class = DecalOrderFilter

    def get_queryset(self):
        return DecalOrder.objects.visible_to(self.request.user).order_by("-placed_at", "-pk")

    @extend_schema(
        summary=_("Ändra en dekalbeställnings status"),
        description=_(
            "Godkänn (approve), avslå (reject, med skäl) eller skicka (ship), genom samma steg som i "
            "portalen: lagret räknas ned och beställaren får samma e-post."
        ),
        request=s.DecalOrderActionSerializer,
        responses={200: s.DecalOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def state(self, request, pk=None):
        order = self.get_object()
        step = s.DecalOrderActionSerializer(data=request.data)
        step.is_valid(raise_exception=True)
        handle = {
            "approve": lambda: decal_services.order_approve(order=order, by=request.user),
            "reject": lambda: decal_services.order_reject(order=order, by=request.user, reason=step.validated_data["reason"]),
            "ship": lambda: decal_services.order_ship(order=order, by=request.user),
        }[step.validated_data["action"]]
        handle()
        return Response(s.DecalOrderSerializer(self.get_queryset().get(pk=order.pk)).data)


class CountyDashboardView(ETagMixin, APIView):
    @extend_schema(
        summary=_("Länets siffror"),
        description=_("Länsöversiktens siffror per kommun och för hela länet, för ett år (i år om inget anges)."),
        parameters=[OpenApiParameter("year", int, description=_("Året, t.ex. 2026."))],
        responses={200: s.DashboardSerializer},
    )
    def get(self, request, code):
        county = get_object_or_404(County.objects.visible_to(request.user), code=code)
        try:
            year = int(request.query_params.get("year") or timezone.localdate().year)
        except ValueError:
            year = timezone.localdate().year
        data = dashboard.county_dashboard(county, year)
        rows = [{"municipality": row.municipality.code, "values": _plain(row.values)} for row in data["rows"]]
        return Response({"county": county.code, "year": year, "rows": rows, "total": _plain(data["total"].values)})


def _plain(values: dict) -> dict:
    return {key: value if isinstance(value, (int, float, type(None))) else str(value) for key, value in values.items()}


@extend_schema_view(
    list=extend_schema(summary=_("Webhooks"), description=_("Dina egna prenumerationer på händelser.")),
    retrieve=extend_schema(summary=_("En webhook")),
    create=extend_schema(
        summary=_("Ny webhook"),
        description=_(
            "Adressen får ett POST-anrop per händelse, signerat med HMAC-SHA256 (X-TIF-Signature) över "
            "X-TIF-Timestamp, en punkt och kroppen. Hemligheten visas bara i svaret på detta anrop. "
            "Bara det ägaren får se skickas."
        ),
        responses={201: s.WebhookCreatedSerializer},
    ),
    update=extend_schema(summary=_("Ändra en webhook")),
    partial_update=extend_schema(summary=_("Ändra en webhook")),
    destroy=extend_schema(summary=_("Ta bort en webhook")),
)
class WebhookViewSet(ETagMixin, viewsets.ModelViewSet):
    serializer_class = s.WebhookSerializer
    owner_only = True

    def get_queryset(self):
        return Webhook.objects.visible_to(self.request.user).order_by("pk")

    def perform_create(self, serializer):
        serializer.instance = services.webhook_create(owner=self.request.user, **serializer.validated_data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(s.WebhookCreatedSerializer(serializer.instance).data, status=201)

    def perform_update(self, serializer):
        serializer.instance = services.webhook_update(webhook=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.webhook_delete(webhook=instance)

    @extend_schema(
        summary=_("Leveranslogg"),
        description=_("Webhookens leveranser, nyast först, med varje försök och mottagarens svar."),
        responses={200: s.WebhookDeliverySerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        webhook = self.get_object()
        deliveries = WebhookDelivery.objects.visible_to(request.user).filter(webhook=webhook).prefetch_related("attempts_log")
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(s.WebhookDeliverySerializer(page, many=True).data)

