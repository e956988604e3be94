"""Sites and contacts written by the company's own id, through the CSV import's planning.

The import (meetings.services.sites_csv) validates each row, finds the site by (company, external id)
and by address, and applies a whole batch in one transaction or not at all; running the same
batch twice changes nothing. The API adds only what a program needs: every row must carry the
company's id, a batch has at most 1,000 rows, and each row gets its result.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from meetings.models import Contact, Site
from meetings.services import sites_csv as imports
from municipalities.models import Municipality

MAX_BATCH = 1000
SITE_COLUMNS = ["company", "kind", "name", "external_id", "street", "postal_code", "city", "municipality_code"]
CONTACT_COLUMNS = ["contact_name", "contact_email", "contact_phone"]


@dataclass
class RowResult:
    row: int
    external_id: str
    result: str
    site: int | None = None
    changes: list = field(default_factory=list)
    contact: str = ""
    contact_id: int | None = None
    messages: list = field(default_factory=list)


@dataclass
class UpsertResult:
    saved: bool
    rows: list
    message: str = ""

    @property
    def counts(self) -> dict:
        counts = dict.fromkeys([imports.CREATE, imports.UPDATE, imports.UNCHANGED, imports.DUPLICATE, imports.ERROR], 0)
        for row in self.rows:
            counts[row.result] += 1
        return counts


def _import_rows(rows: list[dict]) -> list[dict]:
    """The batch as the import reads a file: line numbers from 1, values as text."""
    return [
        {"line": number, "raw": [], **{k: str(v if v is not None else "").strip() for k, v in row.items()}}
        for number, row in enumerate(rows, start=1)
    ]


def _text(value) -> str:
    return str(value if value is not None else "").strip()


def _default_municipality(user, code: str):
    """The municipality rows without a code belong to: the one named, or the user's only one."""
    visible = Municipality.objects.visible_to(user)
    if code:
        return visible.filter(code=code).first()
    only = list(visible[:2])
    return only[0] if len(only) == 1 else None


def _result(item, pre_errors: list, *, of_contact: bool = False) -> RowResult:
    site = item.site
    result = imports.ERROR if pre_errors else item.action
    if of_contact and result != imports.ERROR:
        result = item.contact_action or imports.UNCHANGED
    return RowResult(
        row=item.line,
        external_id=item.values.get("external_id", ""),
        result=result,
        site=site.pk if site is not None and site.pk else None,
        changes=list(item.changes),
        contact=item.contact_action,
        contact_id=item.contact_obj.pk if item.contact_obj is not None else None,
        messages=[*pre_errors, *(str(m) for m in item.messages)],
    )


def _run(rows: list[dict], *, user, default, pre_errors: dict, of_contact: bool = False) -> UpsertResult:
    if default is None:
        default = Municipality.objects.visible_to(user).first()
    if pre_errors or default is None:
        planned = imports.plan(rows, municipality=default, user=user) if default else None
        results = (
            [_result(item, pre_errors.get(item.line, []), of_contact=of_contact) for item in planned.rows]
            if planned
            else [RowResult(row=r["line"], external_id=r.get("external_id", ""), result=imports.ERROR, messages=pre_errors.get(r["line"], [])) for r in rows]
        )
        return UpsertResult(saved=False, rows=results, message=_("Inget sparades: rätta raderna med fel och skicka hela satsen igen."))
    try:
        done = imports.import_apply(rows, municipality=default, user=user)
    except imports.ImportBlocked as blocked:
        planned = imports.plan(rows, municipality=default, user=user)
        return UpsertResult(saved=False, rows=[_result(item, [], of_contact=of_contact) for item in planned.rows], message=str(blocked))
    results = [_result(item, [], of_contact=of_contact) for item in done.rows]
    _fill_new_contacts(done, results)
    return UpsertResult(saved=True, rows=results)


def _fill_new_contacts(done, results: list[RowResult]) -> None:
    """The ids of contacts the batch created (bulk-created, so the plan does not hold them)."""
    wanted = {(item.site.pk, item.contact["email"]) for item in done.rows if item.contact and item.site is not None}
    if not wanted:
        return
    ids = {
        (c.site_id, c.email.lower()): c.pk
        for c in Contact.objects.filter(site_id__in={s for s, _e in wanted}, email__in={e for _s, e in wanted})
    }
    for item, result in zip(done.rows, results, strict=True):
        if item.contact and item.site is not None and result.contact_id is None:
            result.contact_id = ids.get((item.site.pk, item.contact["email"]))


def sites_upsert(*, rows: list[dict], user, municipality_code: str = "") -> UpsertResult:
    """Create or update sites (and a contact each, when given) by the company's id, all or nothing."""
    rows = _import_rows([{k: r.get(k, "") for k in SITE_COLUMNS + CONTACT_COLUMNS if k in r} for r in rows])
    default = _default_municipality(user, municipality_code)
    pre_errors = {}
    for row in rows:
        errors = []
        if not row.get("external_id"):
            errors.append(
                _("Rad %(row)s: företagets id (external_id) saknas; det är nyckeln som raden sparas på.")
                % {"row": row["line"]}
            )
        if not row.get("municipality_code") and default is None:
            errors.append(
                _("Rad %(row)s: ange kommunkod (municipality_code) på raden eller för hela satsen.") % {"row": row["line"]}
            )
        if errors:
            pre_errors[row["line"]] = errors
    return _run(rows, user=user, default=default, pre_errors=pre_errors)


def contacts_upsert(*, rows: list[dict], user) -> UpsertResult:
    """Create or update contacts by their site's company id and their e-mail address, all or nothing.

    Each row names its site as (company, external_id); the site's own values go through the
    import with the contact, so the site stays as it is and the contact is checked as in a file.
    """
    keys = [(_text(r.get("company")), _text(r.get("external_id"))) for r in rows]
    sites = {
        (s.company, s.external_id): s
        for s in Site.objects.visible_to(user).filter(
            company__in={c for c, _i in keys}, external_id__in={i for _c, i in keys if i}
        )
    }
    import_rows, pre_errors = [], {}
    for number, (row, key) in enumerate(zip(rows, keys, strict=True), start=1):
        site = sites.get(key)
        values = {"company": key[0], "external_id": key[1], "name": "-", "street": "-", "postal_code": "00000", "city": "-"}
        if site is None:
            pre_errors[number] = [
                _("Rad %(row)s: ingen arbetsplats av %(company)s har id %(id)s hos dig.")
                % {"row": number, "company": key[0] or "–", "id": key[1] or "–"}
            ]
        else:
            values = {
                "company": site.company, "kind": site.kind, "name": site.name, "external_id": site.external_id,
                "street": site.street, "postal_code": site.postal_code, "city": site.city,
                "municipality_code": site.municipality.code,
            }
        values |= {"contact_name": row.get("name", ""), "contact_email": row.get("email", ""), "contact_phone": row.get("phone", "")}
        import_rows.append(values)
    return _run(_import_rows(import_rows), user=user, default=None, pre_errors=pre_errors, of_contact=True)
