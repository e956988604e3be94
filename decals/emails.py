from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from decals.models import DecalOrder
from tif_portal import outbox


def order_subject(order: DecalOrder) -> str:
    return _("Din dekalbeställning %(number)s: %(state)s") % {
        "number": order.pk,
        "state": order.get_state_display().lower(),
    }


def order_state_mail(order: DecalOrder) -> outbox.Mail:
    """To the orderer: the order reached a new state; once per state."""
    return outbox.Mail(
        key=f"decal-order:{order.pk}:{order.state}",
        to=order.contact.email,
        purpose="decal_order",
        renderer="decals.order_state",
        params={"order": order.pk},
        language=order.contact.language,
        municipality_id=order.site.municipality_id,
        about=order,
    )


@outbox.renderer("decals.order_state")
def order_state(email):
    """The orderer hears about every change; the row is rendered with the state it was queued for."""
    order = DecalOrder.objects.select_related("site", "contact").get(pk=email.params["order"])
    state = email.key.rsplit(":", 1)[-1]
    order.state = state if state in DecalOrder.State.values else order.state
    context = {"order": order, "state": state}
    return outbox.Rendered(
        subject=order_subject(order), body_text=render_to_string("emails/decal_order_state.txt", context)
    )
