"""Writes of the indicators app: indicator values from a CSV file, all or nothing."""

from __future__ import annotations

import csv
import io
import math
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assets.models import Area
from core.jobs import job_enqueue, job_retry
from indicators.models import Indicator, IndicatorImport, IndicatorValue, SummaryRun, Unit
from indicators.versions import indicators_changed

REQUIRED = ("indicator", "area_code", "period", "value")
OPTIONAL = ("lower_ci", "upper_ci", "numerator", "denominator", "source", "illustrative")
PERIOD = re.compile(r"^\d{4}(-\d{2}|-\d{4})?$")
YES = {"yes", "y", "true", "1", "ie", "do"}
NO = {"", "no", "n", "false", "0", "na", "naddo"}
UPDATED = ["value", "lower", "upper", "numerator", "denominator", "source", "illustrative"]


class _Row:
    """One line of the file while it is checked: its fields so far and what is wrong."""

    def __init__(self, number: int, cells: dict[str, str]):
        self.number = number
        self.cells = {key: (cells.get(key) or "").strip() for key in (*REQUIRED, *OPTIONAL)}
        self.errors: list[str] = []
        self.fields: dict = {}

    def error(self, field: str, why: str) -> None:
        self.errors.append(
            _("Row %(row)s, %(field)s: %(why)s") % {"row": self.number, "field": field, "why": why}
        )

    def number_in(self, field: str) -> float | None:
        text = self.cells[field]
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.error(field, _("“%(text)s” is not a number.") % {"text": text[:40]})
            return None
        return number


def _header_check(fieldnames: list[str] | None) -> None:
    names = [name.strip().lower() for name in fieldnames or []]
    missing = [name for name in REQUIRED if name not in names]
    unknown = [name for name in names if name not in (*REQUIRED, *OPTIONAL)]
    problems = []
    if missing:
        problems.append(_("The file has no column %(names)s.") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(
            _("The file has a column this import does not know: %(names)s (it knows %(known)s).")
            % {"names": ", ".join(unknown), "known": ", ".join((*REQUIRED, *OPTIONAL))}
        )
    if problems:
        raise ValidationError(problems)


def _reference_check(row: _Row, indicators: dict, areas: dict) -> None:
    indicator = indicators.get(row.cells["indicator"])
    if indicator is None:
        row.error(
            "indicator",
            _("no indicator has the code “%(code)s”.") % {"code": row.cells["indicator"][:60]},
        )
    area_id = areas.get(row.cells["area_code"].upper())
    if area_id is None:
        row.error(
            "area_code",
            _("no area has the code “%(code)s”; import its boundary first.")
            % {"code": row.cells["area_code"][:20]},
        )
    if not PERIOD.match(row.cells["period"]):
        row.error(
            "period",
            _(
                "“%(text)s” is not a period: write a year (2024), a financial "
                "year (2024-25) or a span of years (2022-2024)."
            )
            % {"text": row.cells["period"][:20]},
        )
    row.fields.update(indicator=indicator, area_id=area_id, period=row.cells["period"])


def _numbers_check(row: _Row) -> None:
    value = row.number_in("value")
    lower, upper = row.number_in("lower_ci"), row.number_in("upper_ci")
    numerator, denominator = row.number_in("numerator"), row.number_in("denominator")
    if not row.cells["value"]:
        row.error("value", _("every row needs a value."))
    if (lower is None) != (upper is None) and not row.errors:
        row.error("lower_ci", _("give both limits of the confidence interval, or neither."))
    if None not in (lower, upper, value) and not lower <= value <= upper:
        row.error("value", _("the value must lie between its lower and upper limits."))
    if denominator is not None and denominator <= 0:
        row.error("denominator", _("the denominator must be above 0."))
    if None not in (numerator, denominator) and numerator > denominator:
        row.error("numerator", _("the numerator cannot be larger than the denominator."))
    row.fields.update(
        value=value, lower=lower, upper=upper, numerator=numerator, denominator=denominator
    )


def _unit_check(row: _Row) -> None:
    indicator, value = row.fields.get("indicator"), row.fields.get("value")
    if indicator is None or value is None:
        return
    if indicator.unit == Unit.PERCENT and not 0 <= value <= 100:
        row.error("value", _("a percentage must be between 0 and 100."))
    if indicator.unit in (Unit.PER_1000, Unit.COUNT) and value < 0:
        row.error("value", _("a count or rate cannot be below 0."))


def _flag_check(row: _Row) -> None:
    text = row.cells["illustrative"].lower()
    if text not in YES | NO:
        row.error("illustrative", _("write yes or no."))
    row.fields.update(illustrative=text in YES, source=row.cells["source"][:200])


def _rows_check(content: str) -> list[_Row]:
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    _header_check(reader.fieldnames)
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    areas = dict(Area.objects.values_list("code", "pk"))
    rows, seen = [], {}
    for number, cells in enumerate(reader, start=2):
        row = _Row(number, {key.strip().lower(): value for key, value in cells.items() if key})
        _reference_check(row, indicators, areas)
        _numbers_check(row)
        _unit_check(row)
        _flag_check(row)
        key = (row.cells["indicator"], row.cells["area_code"].upper(), row.cells["period"])
        if key in seen:
            row.error(
                "period",
                _("row %(row)s has the same indicator, area and period.") % {"row": seen[key]},
            )
        seen.setdefault(key, number)
        rows.append(row)
    if not rows:
        raise ValidationError(_("The file has no rows of values under its header."))
    return rows


def indicator_values_import(*, content: str) -> int:
    """Import indicator values from CSV text, all or nothing: any wrong row stops the import
    with a message per row (which row, which field, why) and nothing is saved. A value for
    an indicator, area and period that is already held is replaced. Returns the rows saved."""
    rows = _rows_check(content)
    errors = [error for row in rows for error in row.errors]
    if errors:
        raise ValidationError(errors)
    values = [
        IndicatorValue(
            indicator=row.fields["indicator"],
            area_id=row.fields["area_id"],
            period=row.fields["period"],
            **{field: row.fields[field] for field in UPDATED},
        )
        for row in rows
    ]
    with transaction.atomic():
        IndicatorValue.objects.bulk_create(
            values,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["indicator", "area", "period"],
            update_fields=[*UPDATED, "updated_at"],
        )
        indicators_changed()  # bulk_create sends no signal
    return len(values)


def indicator_import_start(*, requested_by, file_name: str, content: str) -> IndicatorImport:
    """Record an uploaded CSV of values and hand it to the worker (core.jobs)."""
    if not content.strip():
        raise ValidationError(_("The file is empty."))
    job = IndicatorImport.objects.create(
        requested_by=requested_by, file_name=file_name[-200:], content=content
    )
    from indicators.tasks import indicator_import_task  # tasks import this module

    job_enqueue(job=job, task=indicator_import_task)
    return job


def indicator_import_retry(*, job_id: int) -> None:
    """Import a FAILED job's file again from the start."""
    if job_retry(model=IndicatorImport, job_id=job_id, problems=[], imported_count=0):
        from indicators.tasks import indicator_import_task

        job_enqueue(job=IndicatorImport.objects.get(pk=job_id), task=indicator_import_task)


def summary_run_start(*, requested_by) -> SummaryRun:
    """Work out every area summary again now, as a job with a progress bar."""
    from indicators.tasks import area_summaries_task

    job = SummaryRun.objects.create(requested_by=requested_by)
    job_enqueue(job=job, task=area_summaries_task)
    return job


def summary_run_retry(*, job_id: int) -> None:
    from indicators.tasks import area_summaries_task

    if job_retry(model=SummaryRun, job_id=job_id, areas_written=0):
        job_enqueue(job=SummaryRun.objects.get(pk=job_id), task=area_summaries_task)
