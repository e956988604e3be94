"""The personal-data registry: every field that holds personal data, why, and for how long.

The privacy notice shows this table, the agent contact's data export and erasure
follow it, and a test fails when a model gains a field that looks personal and is
neither listed here nor in NOT_PERSONAL. Add a field here in the same commit as
the model change.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The project's own apps: models elsewhere (Django, third parties) are not walked.
LOCAL_APPS = {"tif_portal", "accounts", "municipalities", "meetings", "decals", "followup", "knowledge"}


@dataclass(frozen=True)
class PersonalField:
    field: str  # "app_label.Model.field"
    purpose: str
    retention: str
    who: str  # whose data it is
    # For data about an agent contact kept on another model: the lookup from that model to
    # the Contact, and the value the field gets when the contact is erased or anonymised.
    subject: str = ""
    erased: object = None
    label: str = ""  # shown in the privacy notice instead of the model's own names


CONTACTS = _("Kontaktpersoner hos ombud, terminaler och brevbärarkontor")
USERS = _("Användare med konto (samordnare, instruktörer, länsstyrelse, administratörer)")
REPORTERS = _("Den som lämnar synpunkter på tillgängligheten")
RECIPIENTS = _("Mottagare av e-post från portalen")

_UNTIL_ERASED = _(
    "Tills personen själv raderar sina uppgifter, eller tre år efter senaste aktivitet; då anonymiseras de."
)
_ACCOUNT = _("Så länge kontot finns; när kontot avslutas anonymiseras uppgifterna.")

REGISTRY: tuple[PersonalField, ...] = (
    # Agent contacts
    PersonalField(
        "meetings.Contact.name", _("Bjuda in till möten, anmälningar och deltagarlistor."), _UNTIL_ERASED, CONTACTS
    ),
    PersonalField(
        "meetings.Contact.email",
        _("Skicka inbjudningar, bekräftelser, inloggningslänkar och nyheter från det lokala nätverket."),
        _UNTIL_ERASED,
        CONTACTS,
    ),
    PersonalField("meetings.Contact.phone", _("Nå kontaktpersonen inför ett möte."), _UNTIL_ERASED, CONTACTS),
    # A regional agent manager: the person behind several contact rows of one company.
    PersonalField(
        "meetings.RegionalManager.name", _("Bjuda in en regional ombudschef och visa vem som ansvarar för arbetsplatserna."),
        _UNTIL_ERASED, CONTACTS,
    ),
    PersonalField(
        "meetings.RegionalManager.email", _("Skicka inbjudan till en regional ombudschef."), _UNTIL_ERASED, CONTACTS
    ),
    PersonalField(
        "meetings.RegionalManager.phone", _("Nå en regional ombudschef."), _UNTIL_ERASED, CONTACTS
    ),
    PersonalField(
        "meetings.Registration.dietary_needs",
        _("Beställa mat till mötet."),
        _(
            "Tas bort 30 dagar efter mötet, eller när personen raderar sina uppgifter. Anmälan behålls utan personuppgifter för statistik."
        ),
        CONTACTS,
        subject="contact",
        erased="",
        label=_("Anmälan: kostönskemål"),
    ),
    PersonalField(
        "meetings.WaitingListEntry.dietary_needs",
        _("Beställa mat till mötet om personen får en plats."),
        _("Som anmälan: tas bort när personen raderar sina uppgifter."),
        CONTACTS,
        subject="contact",
        erased="",
        label=_("Väntelista: kostönskemål"),
    ),
    PersonalField(
        "meetings.NetworkConsent.note",
        _("Visa hur en person gav sitt samtycke till det lokala nätverket."),
        _("Så länge samtycket behöver kunna visas; tas bort när personen raderar sina uppgifter."),
        CONTACTS,
        subject="contact",
        erased="",
        label=_("Samtycke till nätverket: kommentar"),
    ),
    # Decal orders from contacts
    PersonalField(
        "decals.DecalOrder.delivery_name",
        _("Skicka dekaler till rätt person på arbetsplatsen."),
        _("Tas bort när beställaren raderar sina uppgifter eller anonymiseras."),
        CONTACTS,
        subject="contact",
        erased="Raderad",
    ),
    PersonalField(
        "decals.DecalOrder.delivery_street",
        _("Skicka dekaler (normalt arbetsplatsens adress)."),
        _("Som beställningen."),
        CONTACTS,
    ),
    PersonalField(
        "decals.DecalOrder.delivery_postal_code",
        _("Skicka dekaler (normalt arbetsplatsens adress)."),
        _("Som beställningen."),
        CONTACTS,
    ),
    PersonalField(
        "decals.DecalOrder.delivery_city",
        _("Skicka dekaler (normalt arbetsplatsens adress)."),
        _("Som beställningen."),
        CONTACTS,
    ),
    PersonalField(
        "decals.DecalOrder.note",
        _("Beställarens meddelande till länsstyrelsen."),
        _("Tas bort när beställaren raderar sina uppgifter eller anonymiseras."),
        CONTACTS,
        subject="contact",
        erased="",
    ),
    PersonalField(
        "decals.DecalOrderEvent.note",
        _("Kommentar till en händelse i beställningen; kan nämna personer."),
        _("Tas bort när kontaktpersonen som skrev den raderar sina uppgifter."),
        CONTACTS,
        subject="by_contact",
        erased="",
    ),
    PersonalField(
        "decals.DecalStockMovement.note",
        _("Länsstyrelsens kommentar till en lagerändring; kan nämna personer."),
        _("Så länge lagerhistoriken behövs."),
        USERS,
    ),
    # Accounts
    PersonalField("accounts.User.email", _("Inloggning och e-post om arbetet i arbetsgruppen."), _ACCOUNT, USERS),
    PersonalField(
        "accounts.User.name", _("Visa vem som gör vad i arbetsgruppen och på kontaktbladet."), _ACCOUNT, USERS
    ),
    PersonalField(
        "accounts.User.phone",
        _("Kontaktbladet för personal hos ombuden, om personen valts att visas där."),
        _ACCOUNT,
        USERS,
    ),
    # Mail
    PersonalField(
        "tif_portal.OutboundEmail.to",
        _("Leverera e-post och visa om den kom fram."),
        _("Adressen tas bort när mottagaren raderar sina uppgifter."),
        RECIPIENTS,
        label=_("Utgående e-post: mottagare"),
    ),
    PersonalField(
        "tif_portal.OutboundEmail.body_text",
        _("Skicka e-postmeddelandet och kunna svara på frågor om det."),
        _("Innehållet töms 90 dagar efter att meddelandet skickats."),
        RECIPIENTS,
        label=_("Utgående e-post: text"),
    ),
    PersonalField(
        "tif_portal.OutboundEmail.body_html",
        _("Som ovan."),
        _("Innehållet töms 90 dagar efter att meddelandet skickats."),
        RECIPIENTS,
        label=_("Utgående e-post: HTML-version"),
    ),
    PersonalField(
        "tif_portal.OutboundEmail.params",
        _("Uppgifter som behövs för att skapa meddelandet."),
        _("Töms 90 dagar efter att meddelandet skickats."),
        RECIPIENTS,
        label=_("Utgående e-post: uppgifter till meddelandet"),
    ),
    PersonalField(
        "tif_portal.DeliveryAttempt.detail",
        _("E-postserverns svar, som kan innehålla adressen."),
        _("Töms när mottagaren raderar sina uppgifter."),
        RECIPIENTS,
        label=_("Leveransförsök: serverns svar"),
    ),
    # Accessibility feedback
    PersonalField(
        "knowledge.AccessibilityReport.name",
        _("Kunna svara den som rapporterat ett problem."),
        _("Ett år, sedan tas namnet bort."),
        REPORTERS,
    ),
    PersonalField(
        "knowledge.AccessibilityReport.email",
        _("Kunna svara den som rapporterat ett problem."),
        _("Ett år, sedan tas adressen bort."),
        REPORTERS,
    ),
    PersonalField(
        "knowledge.AccessibilityReport.message",
        _("Åtgärda problemet."),
        _("Så länge det behövs för att följa upp tillgängligheten."),
        REPORTERS,
    ),
)

# Fields whose names look personal but are not, with the reason.
NOT_PERSONAL: dict[str, str] = {
    "municipalities.County.name": "a county's name",
    "municipalities.Municipality.name": "a municipality's name",
    "municipalities.WorkingGroup.name": "a working group's name",
    "meetings.Site.name": "a workplace's (business's) name",
    "meetings.Site.street": "a business address",
    "meetings.Site.postal_code": "a business address",
    "meetings.Site.city": "a business address",
    "meetings.Meeting.address": "where a meeting is held",
    "meetings.CountyMeeting.address": "where a county meeting is held",
    "municipalities.CommunicationItem.message": "a planned message to an audience in the communication plan",
    "knowledge.PageImage.alt_sv": "describes an image",
    "municipalities.WorkingGroup.leadership_email": "an office's address (a registrar, a board), not a person's",
}


def registry_by_model() -> dict[str, list[PersonalField]]:
    """Registry entries grouped by "app_label.Model"."""
    grouped: dict[str, list[PersonalField]] = {}
    for entry in REGISTRY:
        model, _field = entry.field.rsplit(".", 1)
        grouped.setdefault(model, []).append(entry)
    return grouped


def registered_fields() -> set[str]:
    return {entry.field for entry in REGISTRY}


def entry_label(entry: PersonalField) -> str:
    return str(entry.label) if entry.label else field_label(entry.field)


def field_label(dotted: str) -> str:
    """The field's verbose name with its model's, e.g. "Kontaktperson: e-post"."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    app_label, model_name, field_name = dotted.split(".")
    try:
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
    except (LookupError, FieldDoesNotExist):
        return dotted  # a test reports the stale entry; the notice still shows
    return f"{str(model._meta.verbose_name).capitalize()}: {field.verbose_name}"
