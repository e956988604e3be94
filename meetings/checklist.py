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
LABELS = dict(ANNEX_2)
