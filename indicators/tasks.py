"""Background jobs of the indicators app (core.jobs): thin tasks over services."""

from celery import shared_task
from django.core.exceptions import ValidationError

from core.jobs import job_finish, job_progress, job_task
from indicators.models import IndicatorImport, SummaryRun
from indicators.services import indicator_values_import
from indicators.summaries import area_summaries_compute

SUMMARY_LIMITS = {"soft_time_limit": 4 * 60, "time_limit": 5 * 60}


@job_task(SummaryRun, **SUMMARY_LIMITS)
def area_summaries_task(job: SummaryRun) -> None:
    """Every area's summary and computed indicators, worked out again. Idempotent."""
    written = area_summaries_compute(
        progress=lambda percent: job_progress(job=job, percent=percent)
    )
    job_finish(job=job, areas_written=written)


@shared_task
def area_summaries_nightly() -> int:
    """Beat, nightly: a full recompute as a job no one asked for, so the summaries page shows
    it in its history like any other."""
    job = SummaryRun.objects.create(requested_by=None)
    area_summaries_task.run_here(job.pk)
    return job.pk


@job_task(IndicatorImport, **SUMMARY_LIMITS)
def indicator_import_task(job: IndicatorImport) -> None:
    """Import the job's CSV of values, all or nothing; a wrong file records its problems."""
    try:
        count = indicator_values_import(content=job.content)
    except ValidationError as error:
        job_finish(job=job, problems=error.messages)
        return
    job_finish(job=job, imported_count=count)
