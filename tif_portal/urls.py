from django.contrib import admin
from django.urls import include, path

from accounts.views import start
from tif_portal import jobs, views

urlpatterns = [
    path("", start, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/mitt-konto/api-nycklar/", include("api.token_urls")),
    path("konto/", include("accounts.urls")),
    path("kommuner/", include("municipalities.urls")),
    path("moten/", include("meetings.urls")),
    path("dekaler/", include("decals.urls")),
    path("uppfoljning/", include("followup.urls")),
    path("kunskap/", include("knowledge.urls")),
    path("mina-sidor/", include("accounts.contact_urls")),
    path("jobb/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("jobb/<int:pk>/resultat.pdf", jobs.job_download, name="job_download"),
    path("jobb/<int:pk>/status.json", jobs.job_status, name="job_status"),
    path("jobb/<int:pk>/kor-igen/", jobs.job_retry, name="job_retry"),
    path("media/<path:path>", views.public_media, name="public_media"),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
