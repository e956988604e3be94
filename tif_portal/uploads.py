"""Checks for documents people upload (decisions, presentations to pass on).

The name's extension and the file's first bytes must agree: a PDF starts with ``%PDF-``,
Office and OpenDocument files are zip archives with their own manifest. Anything else is
refused with a message that says what is accepted, so nothing executable or unknown is stored.
"""

import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 25 * 1024 * 1024

# Extension → (content type, the member a genuine archive of that kind holds, or None for PDF).
DOCUMENT_TYPES = {
    ".pdf": ("application/pdf", None),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/presentation.xml"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/document.xml"),
    ".odp": ("application/vnd.oasis.opendocument.presentation", "content.xml"),
    ".odt": ("application/vnd.oasis.opendocument.text", "content.xml"),
}


def content_type_for(name: str) -> str:
    return DOCUMENT_TYPES.get(Path(name).suffix.lower(), ("application/octet-stream", None))[0]


def _is_archive_of(file, member: str) -> bool:
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        file.seek(0)


def validate_document(file) -> None:
    """A PDF, PowerPoint, Word or OpenDocument file of at most 25 MB."""
    if not file:
        return
    # A file already stored (an edit that keeps it) was checked when it came.
    if getattr(file, "_committed", False):
        return
    suffix = Path(file.name).suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Filtypen tas inte emot. Ladda upp PDF, PowerPoint (.pptx), Word (.docx) eller OpenDocument (.odp, .odt)."),
            code="file_type",
        )
    if file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("Filen är större än 25 MB. Dela en länk till större filer, till exempel en film."), code="file_size")
    member = DOCUMENT_TYPES[suffix][1]
    if member is None:
        file.seek(0)
        genuine = file.read(5) == b"%PDF-"
        file.seek(0)
    else:
        genuine = _is_archive_of(file, member)
    if not genuine:
        raise ValidationError(
            _("Filen är inte en giltig %(kind)s-fil. Spara den på nytt och försök igen.") % {"kind": suffix[1:].upper()},
            code="file_content",
        )
