"""Packing slips and address labels for decal orders."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tif_portal.pdf import render_pdf, render_pdf_pages

# A common A4 label sheet: 3 columns × 8 rows of 70 × 37 mm.
LABEL_COLUMNS = 3
LABEL_ROWS = 8


def packing_slips(orders) -> bytes:
    """One page per order, each with its own page numbers."""
    today = timezone.localdate()
    return render_pdf_pages(
        "decals/pdf/packing_slip.html",
        [{"order": order, "today": today} for order in orders],
        title=_("Följesedel för dekaler"),
    )


def address_labels(orders, *, skip: int = 0) -> bytes:
    """Labels filled row by row; ``skip`` leaves the first labels of a used sheet empty."""
    labels = [None] * skip + list(orders)
    per_sheet = LABEL_COLUMNS * LABEL_ROWS
    sheets = []
    for start in range(0, len(labels), per_sheet):
        cells = labels[start : start + per_sheet]
        cells += [None] * (per_sheet - len(cells))
        sheets.append([cells[r * LABEL_COLUMNS : (r + 1) * LABEL_COLUMNS] for r in range(LABEL_ROWS)])
    return render_pdf("decals/pdf/labels.html", {"sheets": sheets}, title=_("Adressetiketter"))
