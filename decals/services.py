"""Decals: orders (placing, approving from the county's stock, rejecting, shipping), the
stock per size, and decals handed out at meetings (added, changed, removed, each drawing
from or giving back to the stock of its size)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from api import webhooks
from decals import emails
from decals.models import DecalIssue, DecalOrder, DecalOrderEvent, DecalSize, DecalStock, DecalStockMovement
from decals.selectors import site_eligibility
from tif_portal import outbox

State = DecalOrder.State


class OrderError(ValidationError):
    """An order step that cannot be taken; the message says why, for the person who tried."""


def _notify(order: DecalOrder) -> None:
    contact = order.contact
    if contact is None or contact.erased_at is not None:
        return
    outbox.enqueue([emails.order_state_mail(order)])


def _record(order, *, from_state: str, by_user=None, by_contact=None, note: str = "") -> DecalOrderEvent:
    event = DecalOrderEvent.objects.create(
        order=order, from_state=from_state, to_state=order.state, by_user=by_user, by_contact=by_contact, note=note
    )
    _notify(order)
    webhooks.decal_order_state_changed(order)
    return event


@transaction.atomic
def order_place(
    *,
    contact,
    site,
    quantity: int,
    size: str,
    delivery_name: str,
    delivery_street: str,
    delivery_postal_code: str,
    delivery_city: str,
    note: str = "",
) -> DecalOrder:
    """Place an order for a workplace the contact works at; refused when it is not eligible."""
    if contact.site_id != site.pk:
        raise OrderError(_("Du kan bara beställa till din egen arbetsplats."))
    if not 1 <= quantity <= settings.DECAL_ORDER_MAX:
        raise OrderError(
            _("Ange ett antal mellan 1 och %(max)s.")
            % {"max": settings.DECAL_ORDER_MAX}
        )
    size = (size or DecalSize.A5).upper()
    if size not in DecalSize.values:
        raise OrderError(_("Välj storlek A4, A5 eller A6."))
    eligibility = site_eligibility(site)
    if not eligibility.eligible:
        raise OrderError([str(reason) for reason in eligibility.reasons])
    order = DecalOrder.objects.create(
        site=site,
        contact=contact,
        quantity=quantity,
        size=size,
        delivery_name=delivery_name,
        delivery_street=delivery_street,
        delivery_postal_code=delivery_postal_code,
        delivery_city=delivery_city,
        note=note,
    )
    _record(order, from_state="", by_contact=contact, note=note)
    return order


def _locked(order: DecalOrder, expected: str) -> DecalOrder:
    """The order row, locked for this transaction, in the state the step starts from."""
    locked = DecalOrder.objects.select_for_update(of=("self",)).select_related("site", "contact").get(pk=order.pk)
    if locked.state != expected:
        raise OrderError(
            _("Beställning %(number)s är redan %(state)s.")
            % {"number": locked.pk, "state": locked.get_state_display().lower()}
        )
    return locked


@transaction.atomic
def order_approve(*, order: DecalOrder, by) -> DecalOrder:
    """Approve an order and draw its decals from the county's stock.

    The stock row is locked first (SELECT ... FOR UPDATE), so two officers approving at
    once queue up and the second sees what the first left; the check constraint on the
    stock is the last line if anything else writes to it.
    """
    county_id = order.site.municipality.county_id
    stock = DecalStock.objects.select_for_update().filter(county_id=county_id, size=order.size.upper()).first()
    order = _locked(order, State.PLACED)
    available = stock.quantity if stock else 0
    if available < order.quantity:
        raise OrderError(
            _(
                "Beställning %(number)s behöver %(needed)s dekaler i %(size)s men lagret har %(available)s. "
                "Registrera en inleverans först."
            )
            % {"number": order.pk, "needed": order.quantity, "size": order.size.upper(), "available": available}
        )
    try:
        # Subtract in the database: should anything bypass the lock, the check constraint
        # still refuses a negative stock instead of a lost update hiding it.
        with transaction.atomic():
            DecalStock.objects.filter(pk=stock.pk).update(
                quantity=F("quantity") - order.quantity, updated_at=timezone.now()
            )
    except IntegrityError as error:
        raise OrderError(_("Lagret räcker inte.")) from error
    DecalStockMovement.objects.create(
        stock=stock, kind=DecalStockMovement.Kind.ORDER_APPROVED, change=-order.quantity, order=order, by=by
    )
    order.state = State.APPROVED
    order.approved_at = timezone.now()
    order.approved_by = by
    order.save(update_fields=["state", "approved_at", "approved_by"])
    _record(order, from_state=State.PLACED, by_user=by)
    return order


@transaction.atomic
def order_reject(*, order: DecalOrder, by, reason: str) -> DecalOrder:
    reason = reason.strip()
    if not reason:
        raise OrderError(_("Skriv varför beställningen avslås."))
    order = _locked(order, State.PLACED)
    order.state = State.REJECTED
    order.rejection_reason = reason
    order.rejected_at = timezone.now()
    order.rejected_by = by
    order.save(update_fields=["state", "rejection_reason", "rejected_at", "rejected_by"])
    _record(order, from_state=State.PLACED, by_user=by, note=reason)
    return order


@transaction.atomic
def order_ship(*, order: DecalOrder, by) -> DecalOrder:
    order = _locked(order, State.APPROVED)
    order.state = State.SHIPPED
    order.shipped_at = timezone.now()
    order.shipped_by = by
    order.save(update_fields=["state", "shipped_at", "shipped_by"])
    _record(order, from_state=State.APPROVED, by_user=by)
    return order


@dataclass
class BulkResult:
    done: list
    failed: list  # (order, message)


def orders_handle(*, orders, action: str, by, reason: str = "") -> BulkResult:
    """Take one step for several orders; each in its own transaction, so one refusal
    (say, stock runs out) leaves the others done."""
    step = {
        "approve": lambda o: order_approve(order=o, by=by),
        "reject": lambda o: order_reject(order=o, by=by, reason=reason),
        "ship": lambda o: order_ship(order=o, by=by),
    }[action]
    result = BulkResult(done=[], failed=[])
    for order in orders:
        try:
            result.done.append(step(order))
        except OrderError as error:
            result.failed.append((order, " ".join(error.messages)))
    return result


@transaction.atomic
def stock_receive(*, county, quantity: int, by, size: str = DecalSize.A5, note: str = "") -> DecalStock:
    """Add decals of one size that arrived to the county's stock."""
    if quantity <= 0:
        raise OrderError(_("Ange ett antal större än noll."))
    if size not in DecalSize.values:
        raise OrderError(_("Välj storlek A4, A5 eller A6."))
    DecalStock.objects.get_or_create(county=county, size=size)
    stock = DecalStock.objects.select_for_update().get(county=county, size=size)
    stock.quantity += quantity
    stock.save(update_fields=["quantity", "updated_at"])
    DecalStockMovement.objects.create(
        stock=stock, kind=DecalStockMovement.Kind.RECEIVED, change=quantity, by=by, note=note
    )
    return stock


# Decals handed out at a meeting ------------------------------------------------------------

MAX_ISSUE = 50


def _stocks(county_id: int, sizes) -> dict[str, DecalStock]:
    """The county's stock rows of ``sizes``, locked, in one order so two changes never deadlock."""
    for size in sorted(set(sizes)):
        DecalStock.objects.get_or_create(county_id=county_id, size=size)
    return {
        stock.size: stock
        for stock in DecalStock.objects.select_for_update().filter(county_id=county_id, size__in=set(sizes)).order_by("size")
    }


def _move(stock: DecalStock, change: int, *, kind: str, issue: DecalIssue, by, note: str = "") -> None:
    if change == 0:
        return
    if stock.quantity + change < 0:
        raise OrderError(
            _(
                "Länets lager har %(available)s dekaler i %(size)s, men %(needed)s behövs. "
                "Länsstyrelsen registrerar en inleverans på lagersidan; välj annars en annan storlek."
            )
            % {"available": stock.quantity, "size": stock.size, "needed": -change}
        )
    stock.quantity += change
    stock.save(update_fields=["quantity", "updated_at"])
    DecalStockMovement.objects.create(
        stock=stock, kind=kind, change=change, issue=issue, meeting_id=issue.meeting_id, by=by, note=note[:200]
    )


def _check_issue(quantity: int, size: str) -> None:
    if not 1 <= quantity <= MAX_ISSUE:
        raise OrderError(_("Ange ett antal mellan 1 och %(max)s.") % {"max": MAX_ISSUE})
    if size not in DecalSize.values:
        raise OrderError(_("Välj storlek A4, A5 eller A6."))


def _county_id(meeting) -> int:
    from meetings.models import Meeting

    return Meeting.objects.filter(pk=meeting.pk).values_list("working_group__municipality__county_id", flat=True).get()


@transaction.atomic
def decal_issue_add(*, meeting, site, size: str, quantity: int, recorded_by) -> DecalIssue:
    """Record decals handed out to a workplace at the meeting; a second handing-out adds to the first.

    The decals come from the county's stock of that size: too few in stock refuses the
    entry, and nothing is saved.
    """
    _check_issue(quantity, size)
    stock = _stocks(_county_id(meeting), [size])[size]
    issue = DecalIssue.objects.create(meeting=meeting, site=site, size=size, quantity=quantity, recorded_by=recorded_by)
    _move(stock, -quantity, kind=DecalStockMovement.Kind.ISSUED, issue=issue, by=recorded_by, note=site.name)
    return issue


@transaction.atomic
def decal_issue_update(*, issue: DecalIssue, size: str, quantity: int, updated_by) -> DecalIssue:
    """Correct an entry: the difference goes back to or comes from the stock (of each size, when the size changes)."""
    _check_issue(quantity, size)
    issue = DecalIssue.objects.select_for_update().select_related("site").get(pk=issue.pk)
    stocks = _stocks(_county_id(issue.meeting), [issue.size, size])
    note = issue.site.name
    if size == issue.size:
        _move(stocks[size], issue.quantity - quantity, kind=DecalStockMovement.Kind.ISSUE_CORRECTED, issue=issue,
              by=updated_by, note=note)
    else:
        _move(stocks[issue.size], issue.quantity, kind=DecalStockMovement.Kind.ISSUE_CORRECTED, issue=issue,
              by=updated_by, note=note)
        _move(stocks[size], -quantity, kind=DecalStockMovement.Kind.ISSUE_CORRECTED, issue=issue, by=updated_by,
              note=note)
    issue.size, issue.quantity = size, quantity
    issue._change_reason = "corrected"
    issue.save(update_fields=["size", "quantity"])
    return issue


@transaction.atomic
def decal_issue_remove(*, issue: DecalIssue, removed_by) -> None:
    """Remove a wrong entry; its decals go back to the stock. The history keeps what it was."""
    issue = DecalIssue.objects.select_for_update().select_related("site").get(pk=issue.pk)
    stock = _stocks(_county_id(issue.meeting), [issue.size])[issue.size]
    _move(stock, issue.quantity, kind=DecalStockMovement.Kind.ISSUE_CORRECTED, issue=issue, by=removed_by,
          note=_("Borttagen: %(site)s") % {"site": issue.site.name})
    issue._history_user = removed_by
    issue.delete()

