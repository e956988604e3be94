from django.urls import path

from api import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.token_list, name="token_list"),
    path("<int:pk>/aterkalla/", token_views.token_revoke, name="token_revoke"),
]
