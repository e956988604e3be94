from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import home
from accounts.forms import LoginForm, ProfileForm
from tif_portal.forms import crispy
from tif_portal.ratelimits import by_client, by_posted_email, over_limit


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form(self, form_class=None):
        return crispy(super().get_form(form_class), _("Skicka länk"))

    def form_valid(self, form):
        limited = [
            over_limit(self.request, group="password-reset-ip", key=by_client, rate="20/h"),
            over_limit(self.request, group="password-reset-email", key=by_posted_email, rate="5/h"),
        ]
        if any(limited):
            # The same answer as when a link went: nothing tells whether the address has an account.
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_form(self, form_class=None):
        return crispy(super().get_form(form_class), _("Spara lösenord"))

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever proved they own the address may log in again at once: a lockout from wrong
        # passwords (perhaps someone else's) ends with the new password.
        axes_reset(username=form.user.get_username())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Lösenordet är ändrat."))
        return super().form_valid(form)

    def get_form(self, form_class=None):
        return crispy(super().get_form(form_class), _("Byt lösenord"))


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)
        messages.success(request, _("Dina uppgifter är sparade."))
        response = redirect("accounts:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, user.language, max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_POST
def feed_token_renew(request):
    request.user.renew_feed_token()
    messages.success(request, _("Du har fått en ny kalenderadress. Den gamla fungerar inte längre."))
    return redirect("accounts:profile")


def start(request):
    """The front page: the public introduction, the contact's own page, or the role's start page."""
    if not request.user.is_authenticated:
        return render(request, "home/public.html")
    if request.user.is_contact:
        return redirect("contact:my_page")
    template, context = home.start_context(request.user)
    return render(request, template, context)
