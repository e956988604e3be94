"""The county dashboard: one row per municipality, the same rows for page, CSV and PDF.

A fixed number of queries whatever the county's size: each figure is one grouped
query over the whole county (``values("municipality").annotate(...)``), and the
criteria are one annotated query over its working groups.
"""

import copy
import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count, Min, Q, Sum
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from decals.models import DecalIssue, DecalOrder
from followup import criteria
from followup.models import SURVEY_MIN_ANSWERS, FollowUp, SurveyResponse
from meetings.models import COLLABORATION_KINDS, Meeting, Registration, Site
from municipalities.models import Municipality, WorkingGroup

COUNTED_KINDS = [*COLLABORATION_KINDS, Meeting.Kind.FOLLOW_UP]

COLUMNS = [
    ("municipality", _("Kommun")),
    ("step", _("Steg")),
    ("criteria", _("Kriterier uppfyllda")),
    ("meetings_held", _("Möten genomförda")),
    ("meetings_planned", _("Möten planerade")),
    ("sites_reached", _("Arbetsplatser nådda")),
    ("sites_known", _("Arbetsplatser kända")),
    ("participants", _("Deltagare")),
    ("decals_issued", _("Dekaler utdelade")),
    ("decals_ordered", _("Dekaler beställda")),
    ("followups_due", _("Uppföljningar att göra")),
    ("followups_overdue", _("Uppföljningar försenade")),
    ("survey_responses", _("Enkätsvar")),
    ("survey_safety", _("Trygghet (1–5)")),
    ("survey_knows", _("Vet hur polisen kontaktas (%)")),
    ("survey_report", _("Skulle anmäla (%)")),
]
SUMMED = [
    "meetings_held",
    "meetings_planned",
    "sites_reached",
    "sites_known",
    "participants",
    "decals_issued",
    "decals_ordered",
    "followups_due",
    "followups_overdue",
    "survey_responses",
]


@dataclass
class Row:
    municipality: Municipality | None
    values: dict
    status: object = None
    missing: list = field(default_factory=list)

    def cells(self) -> list[str]:
        return [_display(key, self.values.get(key)) for key, _label in COLUMNS]


def _display(key, value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return number_format(value, 1)
    return str(value)


def _by_municipality(queryset, path: str, **aggregates) -> dict:
    return {row.pop(path): row for row in queryset.values(path).annotate(**aggregates).order_by()}


def years_available(county) -> list[int]:
    first = Meeting.objects.filter(working_group__municipality__county=county).aggregate(first=Min("starts_at"))[
        "first"
    ]
    now = timezone.localdate().year
    start = timezone.localtime(first).year if first else now
    return list(range(now + 1, min(start, now - 4) - 1, -1))


# The figures are cached per county, year, day and language. Every change to what they count
# raises one generation number (see ``figures_changed``), so the next look computes them
# afresh; the time limit only bounds what a change made without the ORM's signals could leave.
CACHE_SECONDS = 300
_GENERATION_KEY = "county-dashboard:generation"


def figures_changed(**_signal_arguments) -> None:
    """Forget every cached county figure: called on saves and deletes of the models they
    count (``FollowupConfig.ready``) and by services that change rows in bulk."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, None)


def _translated(value):
    """``value`` with every lazy translation made a plain string in the current language (the
    cache key names it): unpickling a lazy string costs more than the query it saves."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _translated(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_translated(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = copy.copy(value)  # never change shared objects such as the criteria themselves
        for f in dataclasses.fields(value):
            object.__setattr__(value, f.name, _translated(getattr(value, f.name)))
    return value


def cached_county_dashboard(county, year: int) -> dict:
    """``county_dashboard`` from the cache when nothing it counts changed since."""
    generation = cache.get_or_set(_GENERATION_KEY, 1, None)
    key = f"county-dashboard:{generation}:{county.pk}:{year}:{timezone.localdate()}:{translation.get_language()}"
    data = cache.get(key)
    if data is None:
        data = _translated(county_dashboard(county, year))
        cache.set(key, data, CACHE_SECONDS)
    # Names the page's rendered tables and charts, which change with the same figures.
    return {**data, "figures_key": key}


def county_dashboard(county, year: int) -> dict:
    """Rows for every municipality of the county in ``year``; about ten queries in all."""
    today = timezone.localdate()
    municipalities = list(Municipality.objects.filter(county=county).order_by("name"))
    in_county = {"working_group__municipality__county": county}
    meetings = _by_municipality(
        Meeting.objects.filter(**in_county, kind__in=COUNTED_KINDS, starts_at__year=year),
        "working_group__municipality",
        held=Count("id", filter=Q(status=Meeting.Status.HELD)),
        planned=Count("id", filter=Q(status=Meeting.Status.PLANNED)),
    )
    sites = _by_municipality(Site.objects.filter(municipality__county=county), "municipality", n=Count("id"))
    attended = _by_municipality(
        Registration.objects.filter(
            meeting__working_group__municipality__county=county,
            meeting__starts_at__year=year,
            checked_in_at__isnull=False,
        ),
        "contact__site__municipality",
        participants=Count("id"),
        sites=Count("contact__site", distinct=True),
    )
    issued = _by_municipality(
        DecalIssue.objects.filter(site__municipality__county=county, meeting__starts_at__year=year),
        "site__municipality",
        n=Sum("quantity"),
    )
    ordered = _decals_ordered(county, year)
    followups = _by_municipality(
        FollowUp.objects.filter(meeting__working_group__municipality__county=county, due_date__year=year).exclude(
            state=FollowUp.State.DONE
        ),
        "meeting__working_group__municipality",
        due=Count("id", filter=Q(due_date__gte=today)),
        overdue=Count("id", filter=Q(due_date__lt=today)),
    )
    surveys = _by_municipality(
        SurveyResponse.objects.filter(
            meeting__working_group__municipality__county=county, meeting__starts_at__year=year
        ),
        "meeting__working_group__municipality",
        n=Count("id"),
        safety=Avg("safety"),
        knows=Count("id", filter=Q(knows_contact=True)),
        report=Count("id", filter=Q(would_report=True)),
    )
    group_status = defaultdict(list)
    for group in criteria.annotate_status(WorkingGroup.objects.filter(municipality__county=county)):
        group_status[group.municipality_id].append(criteria.status_of(group))

    rows = []
    for m in municipalities:
        statuses = group_status.get(m.pk, [])
        # A municipality with several groups shows its furthest group.
        best = max(statuses, key=lambda s: (s.step, s.complete, s.held), default=None)
        survey = surveys.get(m.pk)
        # Too few answers to show without pointing at someone: the count only.
        shown = survey if survey and survey["n"] >= SURVEY_MIN_ANSWERS else None
        values = {
            "municipality": m.name,
            "step": best.step_label if best else _("Ingen arbetsgrupp"),
            "criteria": f"{best.held}/{len(best.criteria)}" if best else f"0/{len(criteria.CRITERIA)}",
            "meetings_held": meetings.get(m.pk, {}).get("held", 0),
            "meetings_planned": meetings.get(m.pk, {}).get("planned", 0),
            "sites_reached": attended.get(m.pk, {}).get("sites", 0),
            "sites_known": sites.get(m.pk, {}).get("n", 0),
            "participants": attended.get(m.pk, {}).get("participants", 0),
            "decals_issued": issued.get(m.pk, {}).get("n") or 0,
            "decals_ordered": ordered.get(m.pk, 0),
            "followups_due": followups.get(m.pk, {}).get("due", 0),
            "followups_overdue": followups.get(m.pk, {}).get("overdue", 0),
            "survey_responses": survey["n"] if survey else 0,
            "survey_safety": float(shown["safety"]) if shown else None,
            "survey_knows": round(100 * shown["knows"] / shown["n"]) if shown else None,
            "survey_report": round(100 * shown["report"] / shown["n"]) if shown else None,
        }
        missing = [c for c in best.criteria if not c.holds] if best else []
        rows.append(Row(m, values, best, missing))

    totals = {key: sum(r.values[key] for r in rows) for key in SUMMED}
    # Only municipalities shown on their own count, so no hidden figure follows from the total.
    all_surveys = [s for s in surveys.values() if s["n"] >= SURVEY_MIN_ANSWERS]
    n = sum(s["n"] for s in all_surveys)
    totals.update(
        municipality=str(_("Hela länet")),
        step="",
        criteria="",
        survey_safety=(sum(float(s["safety"]) * s["n"] for s in all_surveys) / n) if n else None,
        survey_knows=round(100 * sum(s["knows"] for s in all_surveys) / n) if n else None,
        survey_report=round(100 * sum(s["report"] for s in all_surveys) / n) if n else None,
    )
    total = Row(None, totals)
    return {
        "columns": [label for _key, label in COLUMNS],
        "rows": rows,
        "total": total,
        "charts": charts(rows),
        "year": year,
        "county": county,
    }


def _decals_ordered(county, year) -> dict:
    """Decals ordered online in the year, rejected orders left out (as in the decal pages)."""
    orders = DecalOrder.objects.filter(site__municipality__county=county, placed_at__year=year).exclude(
        state=DecalOrder.State.REJECTED
    )
    return {k: v["n"] or 0 for k, v in _by_municipality(orders, "site__municipality", n=Sum("quantity")).items()}


# Charts: server-rendered SVG, each with its data as a table and a text alternative ----------------

BAR_AREA = 400


def _chart(key, title, unit, rows, value, maximum=None):
    data = [(r.values["municipality"], value(r)) for r in rows]
    top = maximum or max((v for _n, v in data if v is not None), default=0) or 1
    bars = []
    for index, (name, v) in enumerate(data):
        width = round(BAR_AREA * (v or 0) / top)
        bars.append(
            {
                "label": name,
                "value": v,
                "display": _display(key, v),
                "width": width,
                "y": index * 24,
                "text_x": 172 + width + 6,
            }
        )
    present = [(n, v) for n, v in data if v is not None]
    if present:
        hi = max(present, key=lambda p: p[1])
        lo = min(present, key=lambda p: p[1])
        summary = ngettext(
            "Högst: %(hi)s (%(hi_v)s). Lägst: %(lo)s (%(lo_v)s). %(count)s kommun med värde.",
            "Högst: %(hi)s (%(hi_v)s). Lägst: %(lo)s (%(lo_v)s). %(count)s kommuner med värde.",
            len(present),
        ) % {
            "hi": hi[0],
            "hi_v": _display(key, hi[1]),
            "lo": lo[0],
            "lo_v": _display(key, lo[1]),
            "count": len(present),
        }
    else:
        summary = _("Inga värden för året.")
    return {
        "id": key,
        "title": title,
        "unit": unit,
        "bars": bars,
        "height": max(len(bars), 1) * 24 + 8,
        "summary": summary,
    }


def charts(rows) -> list[dict]:
    return [
        _chart(
            "meetings_held", _("Genomförda möten per kommun"), _("möten"), rows, lambda r: r.values["meetings_held"]
        ),
        _chart(
            "sites_reached_pct",
            _("Andel nådda arbetsplatser per kommun"),
            "%",
            rows,
            lambda r: (
                round(100 * r.values["sites_reached"] / r.values["sites_known"]) if r.values["sites_known"] else 0
            ),
            maximum=100,
        ),
        _chart(
            "survey_safety",
            _("Trygghet i att hantera misstänkta försändelser (medel 1–5)"),
            _("medelvärde"),
            rows,
            lambda r: r.values["survey_safety"],
            maximum=5,
        ),
    ]


# The printed report splits the table in two (a landscape A4 holds about nine columns):
# each part starts with the municipality, so every row reads on its own.
TEXT_COLUMNS = {"municipality", "step"}
PRINT_PARTS = [
    (_("möten, arbetsplatser och deltagare"), COLUMNS[1:8]),
    (_("dekaler, uppföljningar och enkätsvar"), COLUMNS[8:]),
]


def print_tables(dashboard) -> list[dict]:
    """The dashboard's table as the parts of the printed report, every column in one of them."""
    first = COLUMNS[0]
    tables = []
    for title, columns in PRINT_PARTS:
        keys = [first[0], *(key for key, _label in columns)]
        tables.append(
            {
                "title": title,
                "columns": [first[1], *(label for _key, label in columns)],
                "rows": [_print_cells(keys, row) for row in dashboard["rows"]],
                "total": _print_cells(keys, dashboard["total"]),
            }
        )
    return tables


def _print_cells(keys, row) -> list[tuple[str, bool]]:
    """(text, is a number) per cell: numbers align right."""
    return [(_display(key, row.values.get(key)), key not in TEXT_COLUMNS) for key in keys]


def csv_rows(dashboard) -> list[list[str]]:
    """Exactly the table on the page: header, one row per municipality, the county total."""
    return [
        [str(c) for c in dashboard["columns"]],
        *[r.cells() for r in dashboard["rows"]],
        dashboard["total"].cells(),
    ]
