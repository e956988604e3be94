"""CSV import of sites (and optionally one contact per row) as logistics companies deliver them.

Reading: UTF-8 with or without BOM, else Windows-1252; comma or semicolon; Swedish or
English column names. Planning: each row becomes create, update, unchanged or error,
with duplicates found by (company, external id) and by normalised address within the
municipality; a row that repeats an earlier one is skipped. Applying re-plans against the
current database inside one transaction that holds the rows of the municipalities it
writes to, so an import is all or nothing (or, when asked, all valid rows and nothing
else), two confirmations at once cannot create a site twice, and running the same file
twice changes nothing. Rejected rows go back as a CSV with the reason in a last column.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from meetings.models import Contact, Site
from municipalities.models import Municipality

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
BATCH_SIZE = 500

CREATE, UPDATE, UNCHANGED, DUPLICATE, ERROR = "create", "update", "unchanged", "duplicate", "error"

# Accepted column names (compared without case, accents, spaces, dashes or underscores).
ALIASES = {
    "company": ["foretag", "company", "bolag", "carrier"],
    "kind": ["typ", "kind", "type", "slag"],
    "name": ["namn", "name", "ombudsnamn", "sitename"],
    "external_id": ["id", "externalid", "externtid", "ombudsid", "foretagetsid", "ombudsnummer"],
    "street": ["adress", "street", "gatuadress", "address", "gata"],
    "postal_code": ["postnummer", "postalcode", "postnr", "zip", "zipcode"],
    "city": ["ort", "city", "postort", "town"],
    "municipality_code": ["kommunkod", "municipalitycode", "kommun", "municipality"],
    "contact_name": ["contactname", "kontaktnamn", "kontaktperson", "kontakt"],
    "contact_email": ["contactemail", "kontaktepost", "kontaktmejl", "epost", "email"],
    "contact_phone": ["contactphone", "kontakttelefon", "telefon", "phone"],
}
REQUIRED = ["company", "name", "street", "postal_code", "city"]
SITE_FIELDS = ["kind", "company", "name", "external_id", "street", "postal_code", "city"]

KIND_VALUES = {
    "ombud": Site.Kind.AGENT,
    "paketombud": Site.Kind.AGENT,
    "agent": Site.Kind.AGENT,
    "parcelagent": Site.Kind.AGENT,
    "servicepoint": Site.Kind.AGENT,
    "terminal": Site.Kind.TERMINAL,
    "paketterminal": Site.Kind.TERMINAL,
    "postterminal": Site.Kind.TERMINAL,
    "brevbararkontor": Site.Kind.LETTER_CARRIER,
    "brevbarare": Site.Kind.LETTER_CARRIER,
    "lettercarrier": Site.Kind.LETTER_CARRIER,
    "lettercarrieroffice": Site.Kind.LETTER_CARRIER,
    # Instabox, Budbee and others list their lockers so.
    "paketbox": Site.Kind.PARCEL_LOCKER,
    "paketboxar": Site.Kind.PARCEL_LOCKER,
    "paketskap": Site.Kind.PARCEL_LOCKER,
    "box": Site.Kind.PARCEL_LOCKER,
    "locker": Site.Kind.PARCEL_LOCKER,
    "parcellocker": Site.Kind.PARCEL_LOCKER,
    "parcelbox": Site.Kind.PARCEL_LOCKER,
}

COLUMN_LABELS = {
    "company": _("företag"),
    "name": _("namn"),
    "street": _("adress"),
    "postal_code": _("postnummer"),
    "city": _("ort"),
}


class ImportFileError(Exception):
    """The file cannot be read as a site list; the message says why and what to do."""


class ImportBlocked(Exception):
    """The import has error rows (or the data changed so it now has): nothing was saved."""


def _key(text: str) -> str:
    """Lower case without accents, spaces or punctuation: "Företag" and "foretag" match."""
    text = unicodedata.normalize("NFKD", text.strip().lstrip("\ufeff")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


COLUMN_BY_KEY = {alias: column for column, aliases in ALIASES.items() for alias in aliases}


def normalise_postal_code(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return f"{digits[:3]} {digits[3:]}" if len(digits) == 5 else (value or "").strip()


def address_key(postal_code: str, street: str) -> tuple[str, str]:
    """Two spellings of the same address give the same key."""
    return re.sub(r"\D", "", postal_code or ""), re.sub(r"\s+", " ", (street or "").strip().casefold())


# Reading the file -------------------------------------------------------------------


def decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "Filen är inte en textfil. Spara listan som CSV och försök igen."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@dataclass
class ImportFile:
    """The file's header as written and its rows as dicts of our column names."""

    header: list
    rows: list


def read_rows(data: bytes) -> list[dict]:
    """The file's rows as dicts of our column names; raises ImportFileError for an unusable file."""
    return read(data).rows


def read(data: bytes) -> ImportFile:
    """The file's header and rows; each row keeps its values as written (``raw``) for the rejected-rows file."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Filen är större än 5 MB. Dela upp den."))
    text = decode(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample.strip() else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportFileError(_("Filen är tom.")) from exc
    columns = [COLUMN_BY_KEY.get(_key(name)) for name in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        names = ", ".join(str(COLUMN_LABELS[c]) for c in missing)
        raise ImportFileError(
            _(
                "Filen saknar kolumnerna %(names)s. Första raden ska ha kolumnnamn, t.ex. "
                "företag;typ;namn;id;adress;postnummer;ort."
            )
            % {"names": names}
        )
    rows = []
    try:
        for line, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            row = {"line": line, "raw": values}
            for column, value in zip(columns, values, strict=False):
                if column and column not in row:
                    row[column] = value.strip()
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    _("Filen har fler än 20 000 rader. Dela upp den.")
                )
    except csv.Error as exc:
        raise ImportFileError(_("Filen kan inte läsas som CSV.")) from exc
    if not rows:
        raise ImportFileError(_("Filen har inga rader under kolumnnamnen."))
    return ImportFile(header=header, rows=rows)


# Planning -----------------------------------------------------------------------------


@dataclass
class PlannedRow:
    line: int
    action: str
    values: dict
    messages: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    site: Site | None = None
    municipality: Municipality | None = None
    contact: dict | None = None
    contact_obj: Contact | None = None
    contact_action: str = ""
    # (field label, value now, value after the import), for the preview.
    contact_changes: list = field(default_factory=list)
    raw: list = field(default_factory=list)
    # The earlier row this one repeats: its site is this row's site.
    same_as: "PlannedRow | None" = None

    @property
    def message(self) -> str:
        return " ".join(str(m) for m in self.messages)

    @property
    def change_labels(self) -> str:
        return ", ".join(str(_field_label(name)) for name in self.changes)

    @property
    def change_details(self) -> list[tuple]:
        """(field, value now, value after the import) for each changed field of the site."""
        details = []
        for name in self.changes:
            if name == "municipality":
                details.append((_field_label(name), self.site.municipality.name, self.municipality.name))
            else:
                old, new = getattr(self.site, name), self.values[name]
                if name == "kind":
                    old, new = Site.Kind(old).label, Site.Kind(new).label
                details.append((_field_label(name), old, new))
        return details


def _field_label(name: str) -> str:
    return Site._meta.get_field(name).verbose_name


@dataclass
class Plan:
    rows: list

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict:
        return {action: self.count(action) for action in (CREATE, UPDATE, UNCHANGED, DUPLICATE, ERROR)}

    @property
    def has_errors(self) -> bool:
        return any(row.action == ERROR for row in self.rows)

    @property
    def valid_count(self) -> int:
        """Rows that change something when imported."""
        return sum(1 for row in self.rows if row.action in (CREATE, UPDATE) or row.contact_action in (CREATE, UPDATE))

    @property
    def rejected(self) -> list:
        return [row for row in self.rows if row.action == ERROR]


def _row_error(row: dict, text) -> str:
    """ "Rad 4: postnumret saknas. (Row 4: the postal code is missing.)" from "sv. (en.)"."""
    text = str(text)
    swedish, paren, english = text.rpartition(" (")
    if paren and english.endswith(")"):
        return _("Rad %(line)s: %(sv)s (Row %(line)s: %(en)s") % {"line": row["line"], "sv": swedish, "en": english}
    return _("Rad %(line)s: %(what)s") % {"line": row["line"], "what": text}


def _clean(row: dict, default: Municipality, municipalities: dict) -> tuple[dict, list]:
    """The row's values as Site fields, and what is wrong with them."""
    errors = []
    values = {name: row.get(name, "") for name in SITE_FIELDS}
    for column, what in [
        ("company", _("företaget saknas. (the company is missing.)")),
        ("name", _("namnet saknas. (the name is missing.)")),
        ("street", _("adressen saknas. (the street address is missing.)")),
        ("postal_code", _("postnumret saknas. (the postal code is missing.)")),
        ("city", _("orten saknas. (the city is missing.)")),
    ]:
        if not values[column]:
            errors.append(_row_error(row, what))
    if values["postal_code"]:
        if len(re.sub(r"\D", "", values["postal_code"])) != 5:
            errors.append(_row_error(row, _("postnumret ska ha fem siffror. (the postal code must have five digits.)")))
        values["postal_code"] = normalise_postal_code(values["postal_code"])
    kind_text = _key(values["kind"])
    if not kind_text:
        values["kind"] = Site.Kind.AGENT
    elif kind_text in KIND_VALUES:
        values["kind"] = KIND_VALUES[kind_text]
    else:
        errors.append(
            _row_error(
                row,
                _(
                    "typen ”%(kind)s” är okänd; ange ombud, terminal, brevbärarkontor eller paketbox."
                )
                % {"kind": values["kind"]},
            )
        )
    given = row.get("municipality_code", "").strip()
    code = re.sub(r"\D", "", given) or given
    municipality = default
    if given:
        # A code ("2281") or, in a "kommun" column, a name ("Sundsvall").
        municipality = municipalities.get(code.zfill(4) if code.isdigit() else code.casefold())
        if municipality is None:
            errors.append(
                _row_error(
                    row,
                    _(
                        "kommunkoden %(code)s finns inte eller hör inte till dig. "
                        "(the municipality code does not exist or is not yours.)"
                    )
                    % {"code": code},
                )
            )
    for name, limit in [("company", 100), ("name", 200), ("external_id", 60), ("street", 200), ("city", 100)]:
        if len(values[name]) > limit:
            errors.append(_row_error(row, _("%(column)s är för lång. (a value is too long.)") % {"column": name}))
    contact = None
    if row.get("contact_email") or row.get("contact_name") or row.get("contact_phone"):
        contact = {
            "name": row.get("contact_name", "")[:150],
            "email": row.get("contact_email", "").strip().lower(),
            "phone": row.get("contact_phone", "")[:40],
        }
        if not contact["email"]:
            # A contact is reached by e-mail: a name or a phone number alone would be lost.
            errors.append(
                _row_error(
                    row,
                    _("kontaktens e-postadress saknas; fyll i den eller ta bort kontaktens namn och telefon."),
                )
            )
        else:
            try:
                validate_email(contact["email"])
            except ValidationError:
                errors.append(
                    _row_error(
                        row, _("kontaktens e-postadress är ogiltig. (the contact's e-mail address is invalid.)")
                    )
                )
        if contact["email"] and not contact["name"]:
            errors.append(_row_error(row, _("kontaktens namn saknas. (the contact's name is missing.)")))
    return {"values": values, "municipality": municipality, "contact": contact}, errors


def _plan_contact(item: PlannedRow, site: Site | None, contacts: dict) -> None:
    existing = contacts.get((site.pk, item.contact["email"])) if site else None
    item.contact_obj = existing
    if existing is None:
        item.contact_action = CREATE
        return
    wanted = {"name": item.contact["name"], "phone": item.contact["phone"] or existing.phone}
    item.contact_changes = [
        (Contact._meta.get_field(name).verbose_name, getattr(existing, name), value)
        for name, value in wanted.items()
        if getattr(existing, name) != value
    ]
    item.contact_action = UPDATE if item.contact_changes else UNCHANGED


def _plan_repeat(item: PlannedRow, row: dict, earlier: PlannedRow, contacts: dict, planned_contacts: set) -> None:
    """A row for a site an earlier row already has: skipped when it says the same (its
    contact, if new, joins that site); an error when it says something else."""
    differs = [
        str(_field_label(name)) for name in SITE_FIELDS if item.values[name] != earlier.values[name]
    ] + ([str(_field_label("municipality"))] if item.municipality != earlier.municipality else [])
    if differs:
        item.messages = [
            _row_error(
                row,
                _("samma arbetsplats som rad %(other)s men med andra uppgifter (%(fields)s); rätta en av raderna.")
                % {"other": earlier.line, "fields": ", ".join(differs)},
            )
        ]
        return
    item.action, item.same_as, item.site = DUPLICATE, earlier, earlier.site
    if item.contact and (id(earlier), item.contact["email"]) not in planned_contacts:
        _plan_contact(item, earlier.site, contacts)
        planned_contacts.add((id(earlier), item.contact["email"]))
        if item.contact_action != UNCHANGED:
            item.messages = [
                _row_error(
                    row,
                    _("samma arbetsplats som rad %(other)s; bara kontaktpersonen på raden sparas.")
                    % {"other": earlier.line},
                )
            ]
            return
    item.contact_action = ""
    item.messages = [
        _row_error(row, _("samma arbetsplats som rad %(other)s; raden hoppas över.") % {"other": earlier.line})
    ]


def plan(rows: list[dict], *, municipality: Municipality, user) -> Plan:
    """Decide what each row would do, with a fixed number of queries for the whole file."""
    visible = {m.code: m for m in Municipality.objects.visible_to(user)}
    by_code_or_name = visible | {m.name.casefold(): m for m in visible.values()}
    cleaned = []
    for row in rows:
        data, errors = _clean(row, municipality, by_code_or_name)
        cleaned.append((row, data, errors))

    target_ids = {data["municipality"].pk for _row, data, _errors in cleaned if data["municipality"]}
    external = {
        (d["values"]["company"], d["values"]["external_id"]) for _r, d, _e in cleaned if d["values"]["external_id"]
    }
    by_external, by_address = {}, {}
    candidates = Site.objects.filter(municipality_id__in=target_ids)
    if external:
        companies = {company for company, _id in external}
        ids = {ext for _company, ext in external}
        # The company's id is unique across the country: match it wherever the site is.
        candidates = Site.objects.filter(municipality_id__in=target_ids) | Site.objects.filter(
            company__in=companies, external_id__in=ids
        )
    for site in candidates.select_related("municipality"):
        if site.external_id:
            by_external[(site.company, site.external_id)] = site
        by_address[(site.municipality_id, site.company.casefold(), *address_key(site.postal_code, site.street))] = site
    site_ids = {site.pk for site in by_address.values()} | {site.pk for site in by_external.values()}
    contacts = {
        (contact.site_id, contact.email.lower()): contact for contact in Contact.objects.filter(site_id__in=site_ids)
    }
    allowed = {m.pk for m in visible.values()}

    seen: dict[tuple, PlannedRow] = {}
    planned_contacts: set[tuple] = set()  # (row that owns the site, e-mail) already in the plan
    planned = []
    for row, data, errors in cleaned:
        values, target = data["values"], data["municipality"]
        item = PlannedRow(
            line=row["line"], action=ERROR, values=values, municipality=target, contact=data["contact"],
            raw=row.get("raw", []),
        )
        planned.append(item)
        if errors:
            item.messages = errors
            continue
        ext_key = (values["company"], values["external_id"]) if values["external_id"] else None
        # One shop often hosts several companies' service points: an address matches within a company.
        addr_key = (target.pk, values["company"].casefold(), *address_key(values["postal_code"], values["street"]))
        earlier = next(
            (seen[key] for key in filter(None, [ext_key and ("ext", *ext_key), ("addr", *addr_key)]) if key in seen),
            None,
        )
        if earlier is not None:
            _plan_repeat(item, row, earlier, contacts, planned_contacts)
            continue
        if ext_key:
            seen[("ext", *ext_key)] = item
        seen[("addr", *addr_key)] = item

        site = by_external.get(ext_key) if ext_key else None
        if site is None:
            site = by_address.get(addr_key)
            if (
                site is not None
                and site.external_id
                and values["external_id"]
                and site.external_id != values["external_id"]
            ):
                site = None  # another site of the same company at the same address
        if site is not None and site.municipality_id not in allowed:
            item.messages = [
                _row_error(
                    row,
                    _(
                        "id:t används redan av en arbetsplats i en annan kommun. "
                        "(the id is already used by a site in another municipality.)"
                    ),
                )
            ]
            continue
        item.site = site
        if site is None:
            item.action = CREATE
        else:
            item.changes = [
                name
                for name in SITE_FIELDS
                if (values[name] or getattr(site, name)) != getattr(site, name)
                and not (name == "external_id" and not values[name])
            ]
            if site.municipality_id != target.pk:
                item.changes.append("municipality")
            item.action = UPDATE if item.changes else UNCHANGED
        if item.contact:
            _plan_contact(item, site, contacts)
            planned_contacts.add((id(item), item.contact["email"]))
            if item.action == UNCHANGED and item.contact_action != UNCHANGED:
                item.action = UPDATE
    return Plan(planned)


# Applying ------------------------------------------------------------------------------


def _lock_targets(rows: list[dict], *, municipality: Municipality, user) -> None:
    """Hold the rows of the municipalities the import may write to until it commits.

    A second confirmation of the same file (or an overlapping one) waits here, then plans
    against what the first saved and finds its sites unchanged, instead of creating them
    again. FOR NO KEY UPDATE leaves other inserts that refer to the municipality free.
    """
    visible = Municipality.objects.visible_to(user).values_list("pk", "code", "name")
    by_code_or_name = {code: pk for pk, code, _name in visible} | {name.casefold(): pk for pk, _code, name in visible}
    ids = {municipality.pk}
    for row in rows:
        given = row.get("municipality_code", "").strip()
        code = re.sub(r"\D", "", given) or given
        found = by_code_or_name.get(code.zfill(4) if code.isdigit() else code.casefold())
        if found:
            ids.add(found)
    list(Municipality.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))


@transaction.atomic
def import_apply(rows: list[dict], *, municipality: Municipality, user, skip_errors: bool = False) -> Plan:
    """Apply a planned import in one transaction and return what it did.

    Any error row means nothing is saved, unless ``skip_errors``: then the valid rows are
    saved and the error rows left out (``Plan.rejected``). The plan is made again here,
    under the municipalities' lock, so a change made since the preview (another import of
    the same file, say) is taken into account.
    """
    _lock_targets(rows, municipality=municipality, user=user)
    current = plan(rows, municipality=municipality, user=user)
    if current.has_errors and not skip_errors:
        raise ImportBlocked(
            _(
                "Importen har fel och sparades inte. Rätta filen och ladda upp den igen."
            )
        )
    try:
        with transaction.atomic():
            _save(current, user)
    except IntegrityError as error:
        # Only a write outside the lock (a site with the same id in another municipality) gets here.
        raise ImportBlocked(
            _(
                "Någon annan sparade samma arbetsplatser samtidigt, så inget av importen sparades. "
                "Ladda upp filen igen och granska den på nytt."
            )
        ) from error
    return current


def _save(current: Plan, user) -> None:
    new_sites = [Site(municipality=item.municipality, **item.values) for item in current.rows if item.action == CREATE]
    # In batches, with a history row each; PostgreSQL hands back the new primary keys.
    bulk_create_with_history(new_sites, Site, batch_size=BATCH_SIZE, default_user=user)
    created = iter(new_sites)
    new_contacts = []
    for item in current.rows:
        if item.action == ERROR:
            continue
        if item.action == CREATE:
            item.site = next(created)
        elif item.action == DUPLICATE:
            item.site = item.same_as.site
        elif item.action == UPDATE and item.changes:
            for name in item.changes:
                if name == "municipality":
                    item.site.municipality = item.municipality
                else:
                    setattr(item.site, name, item.values[name])
            item.site.save()
        if item.contact and item.contact_action == CREATE:
            new_contacts.append(
                Contact(
                    site=item.site,
                    name=item.contact["name"],
                    email=item.contact["email"],
                    phone=item.contact["phone"],
                )
            )
        elif item.contact and item.contact_action == UPDATE:
            contact = item.contact_obj
            contact.name = item.contact["name"]
            contact.phone = item.contact["phone"] or contact.phone
            contact.save()
    bulk_create_with_history(new_contacts, Contact, batch_size=BATCH_SIZE, default_user=user)


# The rejected rows, to correct and upload again ---------------------------------------------------

REASON_COLUMN = _("orsak")


def rejected_csv(header: list, rejected: list) -> bytes:
    """The rejected rows as written, with the reason in a last column; Excel-ready (BOM, semicolons)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([*header, str(REASON_COLUMN)])
    width = len(header)
    for raw, reason in rejected:
        writer.writerow([*(list(raw) + [""] * width)[:width], reason])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
