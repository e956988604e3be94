from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from sesame.backends import ModelBackend as SesameBackend

from accounts.contact_login import contact_link_request
from meetings.models import Contact
from tif_portal.contact_page import sections_for
from tif_portal.forms import CrispyMixin
from tif_portal.ratelimits import by_client, by_posted_email, over_limit


class LinkRequestForm(CrispyMixin, forms.Form):
    submit_label = gettext_lazy("Skicka länk")
    form_action = "contact:link_request"

    email = forms.EmailField(label=gettext_lazy("Din e-postadress"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


def my_page(request):
    contacts = Contact.objects.own(request.user)
    if not contacts:
        return render(request, "contacts/link_request.html", {"form": LinkRequestForm()})
    return render(
        request,
        "contacts/my_page.html",
        {"contacts": contacts, "sections": sections_for(request.user, list(contacts))},
    )


@require_POST
def link_request(request):
    form = LinkRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "contacts/link_request.html", {"form": form}, status=400)
    # Both limits count every request, so neither address nor sender can be probed faster.
    limited = [
        over_limit(request, group="link-request-ip", key=by_client, rate="20/h"),
        over_limit(request, group="link-request-email", key=by_posted_email, rate="5/h"),
    ]
    if any(limited):
        return render(request, "contacts/link_limited.html", status=429)
    contact_link_request(email=form.cleaned_data["email"])
    # Same answer whether or not the address is known.
    return render(request, "contacts/link_sent.html", {"email": form.cleaned_data["email"]})


def _user_for_token(request, token: str):
    # The sesame backend alone: login throttling does not apply to signed tokens.
    return SesameBackend().authenticate(request, sesame=token) if token else None


@never_cache
def link_login(request):
    """GET shows a button (and spends nothing); POST uses the one-time token.

    Logging in updates last_login, which invalidates the token (SESAME_ONE_TIME).
    """
    token = request.POST.get("sesame") or request.GET.get("sesame", "")
    user = _user_for_token(request, token)
    if request.method != "POST":
        return render(request, "contacts/link_confirm.html", {"token": token, "valid": user is not None})
    if user is None or not user.is_contact:
        return render(request, "contacts/link_confirm.html", {"token": "", "valid": False}, status=400)
    login(request, user, backend="sesame.backends.ModelBackend")
    return redirect("contact:my_page")


@require_POST
def contact_logout(request):
    logout(request)
    messages.success(request, _("Du är utloggad."))
    return redirect("contact:my_page")
