from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from api import docs, views

app_name = "api"

router = SimpleRouter()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("working-groups", views.WorkingGroupViewSet, basename="working_group")
router.register("sites", views.SiteViewSet, basename="site")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("registrations", views.RegistrationViewSet, basename="registration")
router.register("decal-orders", views.DecalOrderViewSet, basename="decal_order")
router.register("webhooks", views.WebhookViewSet, basename="webhook")

urlpatterns = [
    path("", docs.documentation, name="docs"),
    path("openapi.json", SpectacularJSONAPIView.as_view(permission_classes=[], authentication_classes=[]), name="schema"),
    path("counties/<str:code>/dashboard/", views.CountyDashboardView.as_view(), name="county_dashboard"),
    *router.urls,
]
