from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("mitt-konto/", views.profile, name="profile"),
    path("mitt-konto/kalender/ny-adress/", views.feed_token_renew, name="feed_token_renew"),
    path("losenord/byt/", views.PasswordChangeView.as_view(), name="password_change"),
    path("losenord/glomt/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "losenord/glomt/skickat/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("losenord/ny/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path(
        "losenord/ny/klart/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
