"""What the portal holds about a person: the contact's own export, erasure, and retention.

The fields follow the registry in ``tif_portal.privacy``. Erasure and retention
anonymise rather than delete, so that counts (participants at a meeting, mails sent)
stay true while nothing points at the person any more.
"""

import csv
import io
import json
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from knowledge.models import AccessibilityReport
from meetings.models import Contact, Invitation, RegionalManager, Registration, new_token
from tif_portal import privacy
from tif_portal.models import DeliveryAttempt, OutboundEmail
from tif_portal.privacy import LOCAL_APPS

# The agent contact's own data ---------------------------------------------------------------

SECRET_FIELDS = {"token", "claim_token", "password", "feed_token", "key"}


def _contacts_for(user: User):
    """Every contact row that belongs to the person: linked to the account or with its address."""
    return Contact.objects.filter(Q(user=user) | Q(email__iexact=user.email)).select_related("site")


def _value(obj, field, own=None) -> object:
    if field.is_relation:
        if own is not None and field.related_model is Contact:
            pk = getattr(obj, field.attname)
            # Another person named on the contact's row is not theirs to see.
            return None if pk is None else ("self" if pk in own else "another person")
        related = getattr(obj, field.name)
        return str(related) if related is not None else None
    value = getattr(obj, field.attname)
    if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
        return value
    return str(value)


def _row(obj, own=None) -> dict:
    return {
        f.name: _value(obj, f, own)
        for f in obj._meta.concrete_fields
        if f.name not in SECRET_FIELDS and not (f.is_relation and f.related_model is ContentType)
    }


def _is_own_model(model) -> bool:
    return model._meta.app_label in LOCAL_APPS and not model.__name__.startswith("Historical")


# Foreign keys that make a row the contact's own data. Others (such as Registration.registered_by,
# the colleague who signed someone up) point at the contact but hold another person's data.
SUBJECT_LINKS = {"contact", "by_contact"}


def _subject_links(model) -> list[str]:
    registry = {e.subject for e in privacy.REGISTRY if e.subject and e.field.startswith(f"{model._meta.label}.")}
    return [
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Contact and (f.name in SUBJECT_LINKS or f.name in registry)
    ]


def _rows_pointing_at(contacts) -> dict[str, list[dict]]:
    """The contact's rows in every model (any app) that holds data about them, e.g. registrations and orders."""
    found: dict[str, list[dict]] = {}
    for model in apps.get_models():
        if not _is_own_model(model) or model is Contact:
            continue
        links = _subject_links(model)
        if not links:
            continue
        q = Q()
        for name in links:
            q |= Q(**{f"{name}__in": contacts})
        rows = [_row(obj, own=set(contacts)) for obj in model._default_manager.filter(q).select_related(*links)]
        if rows:
            found[model._meta.label] = rows
    return found


def contact_data_export(*, user: User) -> dict:
    """Everything the portal holds about an agent contact, as plain data."""
    contacts = list(_contacts_for(user))
    emails = {c.email.lower() for c in contacts} | {user.email.lower()}
    mails = OutboundEmail.objects.filter(to__in=emails).order_by("created_at")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "created": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "contacts": [{**_row(c), "site_address": c.site.address} for c in contacts],
        "related": _rows_pointing_at([c.pk for c in contacts]),
        "mails": [
            {
                "to": m.to,
                "subject": m.subject,
                "purpose": m.purpose,
                "state": m.state,
                "created_at": m.created_at.isoformat(),
                "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                "body_text": m.body_text,
            }
            for m in mails
        ],
        "accessibility_reports": [
            _row(r) for r in AccessibilityReport.objects.filter(email__in=emails).exclude(email="")
        ],
    }


def _cell(value):
    # A cell starting with =, +, - or @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def contact_data_csv(data: dict) -> str:
    """The export as one long table: section, record, field, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "record", "field", "value"])
    for name, value in data["account"].items():
        writer.writerow(["account", 1, name, _cell(value)])
    sections = [
        ("contacts", data["contacts"]),
        ("mails", data["mails"]),
        ("accessibility_reports", data["accessibility_reports"]),
    ]
    sections += list(data["related"].items())
    for section, rows in sections:
        for i, row in enumerate(rows, start=1):
            for name, value in row.items():
                writer.writerow(
                    [
                        section,
                        i,
                        name,
                        _cell(json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value),
                    ]
                )
    return out.getvalue()


# The same data in words, for the page "Alla uppgifter vi har om dig" ---------------------------

# Field names without a Swedish verbose name of their own, and the keys the export adds.
FIELD_LABELS = {
    "id": _("Nummer"),
    "created": _("Konto skapat"),
    "created_at": _("Skapad"),
    "updated_at": _("Ändrad"),
    "last_login": _("Senaste inloggning"),
    "joined_network_at": _("Gick med i nätverket"),
    "last_activity_at": _("Senast aktiv"),
    "erased_at": _("Raderad"),
    "site_address": _("Arbetsplatsens adress"),
    "email": _("E-post"),
    "name": _("Namn"),
    "language": _("Språk"),
    "to": _("Mottagare"),
    "subject": _("Ämne"),
    "purpose": _("Typ"),
    "state": _("Status"),
    "sent_at": _("Skickad"),
    "body_text": _("Text"),
    "meeting": _("Möte"),
    "contact": _("Kontaktperson"),
    "user": _("Konto"),
    "opened_at": _("Öppnad"),
    "registered_by": _("Anmäld av"),
    "reminder_sent_at": _("Påminnelse skickad"),
    "approved_by": _("Godkänd av"),
    "shipped_by": _("Skickad av"),
    "rejected_by": _("Avslagen av"),
    "order": _("Beställning"),
    "by_user": _("Av"),
    "by_contact": _("Av kontaktperson"),
}
# Models without a Swedish name of their own.
MODEL_LABELS = {"meetings.Invitation": _("Inbjudningar"), "meetings.Registration": _("Anmälningar")}
OWN_MARKS = {"self": _("du"), "another person": _("en annan person")}


def _field(model, name):
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def _label(model, name: str) -> str:
    field = _field(model, name)
    if field is not None and (field._verbose_name is not None or name == "id"):
        return capfirst(str(field.verbose_name))
    # Without a verbose name of its own Django would show the code name: "joined network at".
    return capfirst(str(FIELD_LABELS.get(name, name.replace("_", " "))))


def _model_label(model) -> str:
    if "verbose_name_plural" in model._meta.original_attrs:
        return capfirst(str(model._meta.verbose_name_plural))
    return capfirst(str(MODEL_LABELS.get(model._meta.label, model._meta.verbose_name_plural)))


def _shown(model, name: str, value) -> str:
    """A value as a person reads it: Ja/Nej, the choice's label, a Swedish date."""
    field = _field(model, name)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nej"))
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value in OWN_MARKS and field is not None and field.is_relation:
        return str(OWN_MARKS[value])
    if isinstance(field, (models.DateTimeField, models.DateField)) or name in ("created", "last_login"):
        return _date_shown(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _date_shown(value) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if isinstance(moment, datetime) and len(str(value)) > 10:
        return date_format(timezone.localtime(moment) if timezone.is_aware(moment) else moment, "j F Y H:i")
    return date_format(moment.date(), "j F Y")


def _rows_in_words(model, rows: list[dict]) -> list[list[tuple[str, str]]]:
    return [[(_label(model, name), _shown(model, name, value)) for name, value in row.items()] for row in rows]


def contact_data_in_words(data: dict) -> dict:
    """``contact_data_export`` with each field and model named as people say it, for the page;
    the files to download keep the codes, which programs read."""
    mails = [
        {
            "created_at": _date_shown(m["created_at"]),
            "subject": m["subject"] or str(OutboundEmail.PURPOSE_LABELS.get(m["purpose"], _("E-post"))),
            "state": _shown(OutboundEmail, "state", m["state"]),
        }
        for m in data["mails"]
    ]
    related = []
    for label, rows in data["related"].items():
        model = apps.get_model(label)
        related.append((_model_label(model), _rows_in_words(model, rows)))
    return {
        "account": _rows_in_words(User, [data["account"]])[0],
        "contacts": _rows_in_words(Contact, data["contacts"]),
        "related": related,
        "mails": mails,
    }


ERASED_NAME = "Raderad"


def _erased_email(kind: str, pk: int) -> str:
    return f"raderad-{kind}-{pk}@invalid.invalid"


def _erased_email_sql(kind: str):
    """The same replacement address as ``_erased_email``, computed in the database from the id."""
    return Concat(Value(f"raderad-{kind}-"), Cast("id", models.CharField()), Value("@invalid.invalid"))


def _anonymise_history(model, pks, **values) -> None:
    history = getattr(model, "history", None)
    if history is not None and pks:
        history.model.objects.filter(id__in=pks).update(**values)


def _outbox_purge_to(emails: set[str], now) -> int:
    rows = OutboundEmail.objects.filter(to__in=[e.lower() for e in emails if e])
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        return 0
    DeliveryAttempt.objects.filter(email_id__in=ids).update(detail="")
    return OutboundEmail.objects.filter(pk__in=ids).update(
        to="raderad@invalid.invalid",
        subject="",
        body_text="",
        body_html="",
        attachments=[],
        params={},
        headers={},
        last_error="",
        body_purged_at=now,
    )


def _outbox_purge_about(reports) -> None:
    """Mail about the person's accessibility reports names them in its body: the body goes."""
    ids = [str(pk) for pk in reports.values_list("pk", flat=True)]
    if ids:
        OutboundEmail.objects.filter(
            content_type=ContentType.objects.get_for_model(AccessibilityReport), object_id__in=ids
        ).update(body_text="", body_html="", attachments=[], body_purged_at=timezone.now())


def _links_expire(contact_pks: list[int]) -> None:
    """Every personal link of the contacts stops working: the tokens are replaced by new ones
    that were never sent to anyone."""
    from followup.models import SurveyInvitation

    for model, path in [
        (Contact, "pk"), (Invitation, "contact"), (Registration, "contact"), (SurveyInvitation, "registration__contact"),
    ]:
        rows = list(model.objects.filter(**{f"{path}__in": contact_pks}).only("pk"))
        for row in rows:
            row.token = new_token()
        model.objects.bulk_update(rows, ["token"], batch_size=500)


def _forget_logins(emails: set[str]) -> None:
    """Login records of django-axes keep the username (the address)."""
    if not apps.is_installed("axes"):
        return
    for name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
        try:
            model = apps.get_model("axes", name)
        except LookupError:
            continue
        model.objects.filter(username__in=emails).delete()


def _registry_erase(contact_pks: list[int]) -> None:
    """Fields the registry says to clear on other models that point at the contacts (and their history)."""
    for entry in privacy.REGISTRY:
        if not entry.subject or entry.erased is None:
            continue
        app_label, model_name, field_name = entry.field.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        ids = list(
            model._default_manager.filter(**{f"{entry.subject}__in": contact_pks})
            .exclude(**{field_name: entry.erased})
            .values_list("pk", flat=True)
        )
        model._default_manager.filter(pk__in=ids).update(**{field_name: entry.erased})
        _anonymise_history(model, ids, **{field_name: entry.erased})
        history = getattr(model, "history", None)
        if history is not None:
            # Versions written when the row pointed at the contact, even if it no longer does.
            history.model.objects.filter(**{f"{entry.subject}_id__in": contact_pks}).update(
                **{field_name: entry.erased}
            )


def _regional_managers_anonymise(contact_pks: list[int]) -> None:
    """A regional manager whose every contact row is now erased is anonymised as well."""
    managers = list(
        RegionalManager.objects.filter(contacts__pk__in=contact_pks)
        .exclude(contacts__erased_at__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    values = {"name": ERASED_NAME, "email": _erased_email_sql("chef"), "phone": ""}
    _anonymise_history(RegionalManager, managers, **values)
    RegionalManager.objects.filter(pk__in=managers).update(**values)


def contacts_anonymise(*, contact_ids: list[int], now=None) -> int:
    """Anonymise the contacts everywhere, keeping their rows so counts stay true.

    Names, addresses and phone numbers are replaced (in the history too), registrations
    lose their dietary needs, and mail to them loses its address and body.
    """
    now = now or timezone.now()
    contacts = list(Contact.objects.filter(pk__in=contact_ids, erased_at__isnull=True))
    if not contacts:
        return 0
    pks = [c.pk for c in contacts]
    emails = {c.email.lower() for c in contacts}
    with transaction.atomic():
        _anonymise_history(Contact, pks, name=ERASED_NAME, email=_erased_email_sql("kontakt"), phone="")
        Contact.objects.filter(pk__in=pks).update(
            name=ERASED_NAME,
            phone="",
            email=_erased_email_sql("kontakt"),
            in_network=False,
            left_network_at=Coalesce("left_network_at", Value(now, output_field=models.DateTimeField())),
            erased_at=now,
        )
        _registry_erase(pks)
        _regional_managers_anonymise(pks)
        _links_expire(pks)
        _outbox_purge_to(emails, now)
        reports = AccessibilityReport.objects.filter(email__in=emails)
        _outbox_purge_about(reports)
        reports.update(name="", email="", anonymised_at=now)
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Contact), object_id__in=[str(pk) for pk in pks]
        ).update(object_repr=ERASED_NAME, change_message="")
    return len(pks)


def user_anonymise(*, user: User, now=None) -> None:
    """Close an agent contact's account and remove what identified them."""
    now = now or timezone.now()
    email = user.email
    with transaction.atomic():
        values = {"name": ERASED_NAME, "email": _erased_email("konto", user.pk), "phone": "", "is_active": False}
        User.objects.filter(pk=user.pk).update(password="!", **values)
        _anonymise_history(User, [user.pk], **values)
        _outbox_purge_to({email}, now)
        reports = AccessibilityReport.objects.filter(email__iexact=email)
        _outbox_purge_about(reports)
        reports.update(name="", email="", anonymised_at=now)
        _forget_logins({email, email.lower()})
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
            object_repr=ERASED_NAME, change_message=""
        )
    user.refresh_from_db()


@transaction.atomic
def contact_erase(*, user: User) -> int:
    """The person's own request: anonymise every contact row of theirs and their account."""
    if not user.is_contact:
        raise ValueError("Only agent contacts erase themselves here")
    ids = list(_contacts_for(user).values_list("pk", flat=True))
    count = contacts_anonymise(contact_ids=ids)
    user_anonymise(user=user)
    return count


@transaction.atomic
def contact_join_network(*, user: User) -> int:
    """Join the local network for every workplace of the person, each with the consent recorded."""
    from meetings.services.network import network_join

    contacts = list(Contact.objects.filter(user=user, erased_at__isnull=True).select_related("site"))
    for contact in contacts:
        network_join(contact=contact, method="my_page", given_by=contact)
    return len(contacts)


def contact_leave_network(*, user: User) -> int:
    """Leave the local network for every workplace of the person."""
    from meetings.services.network import network_leave

    contacts = list(Contact.objects.filter(user=user, erased_at__isnull=True))
    for contact in contacts:
        network_leave(contact=contact)
    return len(contacts)


# Retention ---------------------------------------------------------------


def _activity_since(cutoff) -> Q:
    """Signs of life besides last_activity_at: a registration or meeting, a sign-in, an opened invitation."""
    return (
        Q(registrations__created_at__gte=cutoff)
        | Q(registrations__meeting__starts_at__gte=cutoff)
        | Q(invitations__opened_at__gte=cutoff)
        | Q(user__last_login__gte=cutoff)
    )


def contact_touch(*, user: User) -> None:
    """Record that the person used their pages, which restarts the retention period."""
    Contact.objects.filter(user=user, erased_at__isnull=True).update(last_activity_at=timezone.now())


def retention_run(*, now=None) -> dict:
    """Anonymise and purge what has been kept long enough; running twice changes nothing more."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONTACT_RETENTION_DAYS)
    stale = list(
        Contact.objects.filter(erased_at__isnull=True, last_activity_at__lt=cutoff)
        .exclude(_activity_since(cutoff))
        .values_list("pk", flat=True)
    )
    contacts = contacts_anonymise(contact_ids=stale, now=now)
    # Accounts of contacts whose every contact row is now anonymised.
    orphans = (
        User.objects.filter(role=User.Role.CONTACT, is_active=True, contacts__isnull=False)
        .exclude(contacts__erased_at__isnull=True)
        .distinct()
    )
    users = 0
    for user in orphans:
        user_anonymise(user=user, now=now)
        users += 1

    mails = OutboundEmail.objects.filter(
        body_purged_at__isnull=True,
        state__in=[OutboundEmail.State.SENT, OutboundEmail.State.FAILED],
        created_at__lt=now - timedelta(days=settings.OUTBOX_BODY_RETENTION_DAYS),
    ).update(body_text="", body_html="", attachments=[], params={}, body_purged_at=now)

    ended = now - timedelta(days=settings.REGISTRATION_DIETARY_RETENTION_DAYS)
    dietary = list(
        Registration.objects.filter(meeting__ends_at__lt=ended).exclude(dietary_needs="").values_list("pk", flat=True)
    )
    Registration.objects.filter(pk__in=dietary).update(dietary_needs="")
    _anonymise_history(Registration, dietary, dietary_needs="")
    history_dietary = (
        Registration.history.model.objects.filter(meeting__ends_at__lt=ended)
        .exclude(dietary_needs="")
        .update(dietary_needs="")
    )

    reports = AccessibilityReport.objects.filter(
        anonymised_at__isnull=True, created_at__lt=now - timedelta(days=settings.ACCESSIBILITY_REPORT_RETENTION_DAYS)
    ).update(name="", email="", anonymised_at=now)
    return {
        "contacts": contacts,
        "users": users,
        "mails": mails,
        "registrations": len(dietary) + history_dietary,
        "reports": reports,
    }
