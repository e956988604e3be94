"""Text that must name no one: seizure feedback is shown to the whole working group and mailed.

``personal_data_in`` finds what looks like personal data, so the form can say exactly what to
remove. It errs on the side of asking: a false alarm costs a rewording, a miss a disclosure.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 850709-9805, 19850709-9805, 850709+9805, 8507099805: a date and four digits.
PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[-+ ]?\d{4}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 070-123 45 67, 08-123 456 78, +46 70 123 45 67: a leading 0 or +46, then 7 to 10 more digits.
PHONE = re.compile(r"(?<![\w+])(?:\+46[\s-]?|0)\d{1,3}(?:[\s-]?\d){5,8}(?!\d)")
# Police and customs case numbers: 5000-K123456-24, K123456-24, ärendenummer 2024/1234, dnr 123-45.
CASE_NUMBER = re.compile(
    r"\b\d{4}-K\d{3,}-\d{2}\b|\bK\d{4,}-\d{2}\b"
    r"|\b(?:ärende(?:nummer|nr)?|diarienummer|dnr|anmälan(?:snummer)?)\.?:?\s*[\w/-]*\d[\w/-]*",
    re.IGNORECASE,
)

KINDS = [
    (PERSONAL_NUMBER, _("ett personnummer")),
    (EMAIL, _("en e-postadress")),
    (CASE_NUMBER, _("ett ärendenummer")),
    (PHONE, _("ett telefonnummer")),
]


def personal_data_in(text: str) -> list[tuple[str, str]]:
    """(what it looks like, the text found) for each piece of likely personal data."""
    found, rest = [], text
    for pattern, kind in KINDS:
        for match in pattern.finditer(rest):
            found.append((str(kind), match.group(0).strip()))
        rest = pattern.sub(" ", rest)  # a personal number is not also a phone number
    return found


def validate_no_personal_data(text: str) -> None:
    found = personal_data_in(text)
    if found:
        raise ValidationError(
            [
                ValidationError(
                    _("Ta bort %(kind)s: ”%(text)s”. Skriv om beslagen i allmänna ordalag, utan uppgifter som pekar ut någon."),
                    code="personal_data",
                    params={"kind": kind, "text": value},
                )
                for kind, value in found
            ]
        )
