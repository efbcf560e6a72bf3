"""Reading an uploaded text file (CSV, JSON) the one way every import does."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
SPREADSHEET_SUFFIXES = {".xlsx", ".xls", ".ods", ".numbers"}


def uploaded_text(upload) -> str:
    """The file's text, or a ValidationError that says what to do instead: too large, a
    spreadsheet rather than its CSV, not UTF-8 (Excel's "CSV UTF-8" starts with a byte-order
    mark, which is dropped)."""
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than 5 MB. Split it into smaller files and import each.")
        )
    if Path(upload.name).suffix.casefold() in SPREADSHEET_SUFFIXES:
        raise ValidationError(
            _("This is a spreadsheet file. Save it as “CSV UTF-8” and choose that file.")
        )
    try:
        content = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        content = "\0"
    if "\0" in content:  # not text, or UTF-16
        raise ValidationError(
            _(
                "The file is not saved as UTF-8 text. In your spreadsheet, save it as "
                "“CSV UTF-8” and choose that file."
            )
        )
    return content
