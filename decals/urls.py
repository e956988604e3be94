from django.urls import path

from decals import views

app_name = "decals"

urlpatterns = [
    path("bestallningar/", views.order_list, name="order_list"),
    path("bestallningar/atgard/", views.order_action, name="order_action"),
    path("bestallningar/<int:pk>/", views.order_detail, name="order_detail"),
    path("lager/", views.stock, name="stock"),
    path("utdelade/<int:pk>/andra/", views.issue_update, name="issue_update"),
    path("utdelade/<int:pk>/ta-bort/", views.issue_delete, name="issue_delete"),
    path("installningar/", views.county_settings, name="county_settings"),
    path("statistik/", views.statistics, name="statistics"),
]
