"""Downloads that a spreadsheet must show, never run (DESIGN §6, OWASP "CSV injection")."""

import csv
import io

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix text that starts like a formula (= + - @ tab CR) with an apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def download(body, *, filename: str, content_type: str) -> HttpResponse:
    """A file to save, not to show."""
    return HttpResponse(
        body,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def csv_download(rows, *, filename: str) -> HttpResponse:
    """Rows as a CSV download that Excel opens as UTF-8 (a byte-order mark) and never runs
    (text cells neutralised; numbers stay numbers)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(
        [neutralise(cell) if isinstance(cell, str) else cell for cell in row] for row in rows
    )
    return download(
        "\ufeff" + out.getvalue(), filename=filename, content_type="text/csv; charset=utf-8"
    )
