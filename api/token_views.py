"""The token page under Mitt konto: make a token (shown once), see and revoke one's tokens,
and the delivery log of one's webhooks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api import services
from api.forms import TokenForm
from api.models import Webhook, WebhookDelivery

RECENT_DELIVERIES = 10


def _page(request, form, *, secret="", token=None, status=200):
    user = request.user
    recent = WebhookDelivery.objects.order_by("-created_at", "-pk")
    # One query per webhook, each bounded: a person has a few webhooks, a webhook many deliveries.
    webhooks = [(hook, list(recent.filter(webhook=hook)[:RECENT_DELIVERIES])) for hook in Webhook.objects.visible_to(user)]
    context = {"form": form, "tokens": user.api_tokens.all(), "secret": secret, "new_token": token, "webhooks": webhooks}
    return render(request, "api/token_list.html", context, status=status)


@login_required
def token_list(request):
    if not services.may_have_tokens(request.user):
        raise PermissionDenied
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.token_create(user=request.user, **form.cleaned_data)
        except services.TokenError as error:
            form.add_error(None, str(error))
        else:
            # Shown in this answer only: the page is not stored (private, no-store) and the
            # portal keeps only the digest.
            return _page(request, TokenForm(user=request.user), secret=secret, token=token)
    return _page(request, form, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    services.token_revoke(token=token)
    messages.success(request, _("Nyckeln %(name)s är återkallad och fungerar inte längre.") % {"name": token.name})
    return redirect("api_tokens:token_list")
