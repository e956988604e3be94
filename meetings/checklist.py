"""The handbook's annex-2 checklist: what a coordinator does before and after a meeting."""

from django.utils.translation import gettext_lazy as _

ANNEX_2 = [
    ("contact_police_customs", _("Kontakta polis och Tullverket och boka instruktörer")),
    ("book_room", _("Boka lokal")),
    ("send_invitations", _("Skicka inbjudningar")),
    ("take_registrations", _("Ta emot anmälningar med namn och e-post")),
    ("adapt_presentation", _("Anpassa presentationen till orten")),
    ("prepare_handouts", _("Förbered informationsmaterial och dekaler")),
    ("hold_meeting", _("Genomför mötet och för anteckningar")),
    ("send_minutes", _("Skicka anteckningarna till arbetsgruppen")),
]
# A workplace meeting is a short visit to one site's own staff meeting: fewer steps.
WORKPLACE = [
    ("agree_with_site", _("Kom överens med arbetsplatsen om en tid på deras personalmöte")),
    ("book_instructor", _("Boka en instruktör från polisen eller Tullverket")),
    ("bring_material", _("Ta med informationsmaterial och dekaler")),
    ("record_attendance", _("Skriv upp vilka som var med")),
    ("send_minutes", _("Skicka anteckningarna till arbetsplatsen och arbetsgruppen")),
]
LABELS = {**dict(WORKPLACE), **dict(ANNEX_2)}


def checklist_for(kind: str) -> list:
    """The steps of a meeting of this kind: the short list for a workplace meeting, annex 2 otherwise."""
    return WORKPLACE if kind == "workplace" else ANNEX_2
