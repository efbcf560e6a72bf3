"""The evaluation report's downloads: CSV, XLSX and PDF of the same `Report` the page shows
(indicators.evaluation), so every figure in them has been through disclosure control.

- CSV: every table one after another in one file, with a first column naming the table
  (its slug, as the XLSX sheet) and a header row at the start of each table.
- XLSX: one sheet per table, and a "Notes" sheet with the methods, the disclosure rules and
  the SWEMWBS notice.
- PDF: WeasyPrint from templates/indicators/evaluation_pdf.html with the charts inline as
  SVG; nothing is fetched (only data: URIs are allowed).
"""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.spreadsheets import neutralise
from indicators.evaluation import Report, Table
from participants.disclosure import MIN_GROUP_FOR_MEAN, SUPPRESSED
from participants.instruments import SWEMWBS_NOTICE

SHEET_NAME_MAX = 31  # Excel's limit


def cell(value):
    """A value as a spreadsheet cell: blank for None, numbers as numbers, text neutralised
    (a "<5" or "-0.3" written as text never runs as a formula)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return neutralise(str(value))


def notes() -> list[tuple[str, str]]:
    """The methods and rules, in the active language, as (heading, text) pairs."""
    return [
        (_("Groups"), _("Tenants are social housing tenants; people seeking sanctuary are asylum seekers and refugees; All is everyone, people in neither group included.")),  # noqa: E501
        (_("Means"), _("Means of each instrument's score at each time point, over the people with a score there. Scores follow each instrument's published missing-item rule.")),  # noqa: E501
        (_("Paired change"), _("Mean change from baseline to follow-up over the people with a score at both, with its confidence interval (95%) from Student's t distribution with n − 1 degrees of freedom.")),  # noqa: E501
        (_("Effect size"), _("Standardised effect size for paired data, Cohen's d_z: the mean change divided by the standard deviation of the individual changes. About 0.2 is small, 0.5 medium and 0.8 large.")),  # noqa: E501
        (_("Meaningful change"), _("SWEMWBS: a rise or fall of 3 metric points or more is a meaningful change for a person (Warwick guidance). No other instrument here has a defined meaningful change, so its cells say none is defined.")),  # noqa: E501
        (_("Network measures"), _("From the name generator: size is the number of contacts named; bonding ties are to contacts in the person's own group, bridging ties to the other group; the E–I index is (bridging − bonding) ÷ (bridging + bonding), from −1 to +1.")),  # noqa: E501
        (_("Disclosure control"), _("Outside coordinators, counts of 1 to 4 people show as %(suppressed)s and a second cell of the same row is withheld where a total would give one away; means, changes, effect sizes and shares show only for %(min)s people or more; a figure over All shows only where every group in it has %(min)s people or more (or none).") % {"suppressed": SUPPRESSED, "min": MIN_GROUP_FOR_MEAN}),  # noqa: E501
        (_("SWEMWBS"), str(SWEMWBS_NOTICE)),
    ]  # fmt: skip


def report_csv(report: Report) -> str:
    """Every table, one after another: a "table" column, then the table's own columns; a
    header row starts each table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for table in report.tables:
        writer.writerow([cell(_("table")), *(cell(str(column)) for column in table.columns)])
        writer.writerows([table.slug, *(cell(value) for value in row)] for row in table.rows)
    return out.getvalue()


def _sheet(workbook, table: Table, bold: Font) -> None:
    sheet = workbook.create_sheet(title=table.slug[:SHEET_NAME_MAX])
    title = WriteOnlyCell(sheet, value=cell(table.title))
    title.font = bold
    sheet.append([title])
    header = [WriteOnlyCell(sheet, value=cell(str(column))) for column in table.columns]
    for item in header:
        item.font = bold
    sheet.append(header)
    for row in table.rows:
        sheet.append([cell(value) for value in row])


def report_xlsx(report: Report) -> bytes:
    """One sheet per table (its slug as the sheet's name, its title on the first row, the
    header on the second), then "Notes"."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in report.tables:
        _sheet(workbook, table, bold)
    sheet = workbook.create_sheet(title="Notes")
    for heading, text in notes():
        sheet.append([cell(heading), cell(text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_pdf(context: dict) -> bytes:
    """The report as PDF; `context` is the page's (indicators.views_evaluation)."""
    # Imported here: WeasyPrint takes a second to load, and only this download needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("indicators/evaluation_pdf.html", {**context, "notes": notes()})
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()
