"""The import job's life (core.jobs): upload, check, confirm, import, try again.

An AssetImport is a job in two steps. `import_start` records the upload (CHECK, queued) and
checks it — in the request for a small file, else by the worker (assets.tasks). `import_check`
writes the preview and ends the step; `import_confirm` turns a checked file without problems
into the IMPORT step, and `import_commit` creates every asset in one transaction, all or
nothing. `import_retry` starts a failed job again from the check.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.models import (
    AssetCategory,
    AssetImport,
    AssetSource,
    Domain,
    ImportStatus,
    ImportStep,
)
from assets.services.areas import areas_assign
from assets.services.assets import asset_create
from assets.services.duplicates import duplicates_flag
from assets.services.imports.checking import _Checked, _Lookups, _row_check
from assets.services.imports.formats import _parse
from core.jobs import JobLost, job_enqueue, job_fail, job_finish, job_progress, job_retry
from core.models import JobStatus

IN_REQUEST_ROWS = 200  # larger files are checked and imported by the worker
PROGRESS_STEP = 5  # percent: a long job writes its progress about twenty times, not per row


class _Progress:
    """Reports progress in steps of PROGRESS_STEP percent through `write`."""

    def __init__(self, write: Callable[[int], object]):
        self.write, self.last = write, 0

    def __call__(self, percent: int) -> None:
        if percent >= self.last + PROGRESS_STEP:
            self.last = percent
            self.write(percent)


def _rows_check(job: AssetImport, progress: Callable[[int], None]) -> list[_Checked]:
    """Every row of the job's file, checked; progress runs 0–90 while the rows are read."""
    candidates = _parse(content=job.content, format=job.format)
    lookups = _Lookups.load(_default_category_id(job.preview))
    rows = []
    for done, candidate in enumerate(candidates, start=1):
        rows.append(_row_check(candidate, lookups))
        progress(90 * done // len(candidates))
    duplicates_flag(rows)
    return rows


def _default_category_id(preview: list) -> int | None:
    """The upload page's default category. AssetImport has no field for it, so the preview
    holds {"default_category_id": …} until the check replaces it with rows, each of which says
    whether it took the default (see import_start)."""
    for row in preview:
        if row.get("default_category_id"):
            return row["default_category_id"]
        if row.get("category_default") and row.get("category"):
            category = AssetCategory.objects.filter(slug=row["category"]).first()
            return category.pk if category else None
    return None


def import_check(*, job: AssetImport) -> None:
    """The CHECK step of a claimed job: read and check every row of its file, writing no
    asset. The preview lists each row with its problems (row, field, why) and likely
    duplicates; the step ends READY, or INVALID if there is any problem."""
    progress = _Progress(lambda percent: job_progress(job=job, percent=percent))
    try:
        rows = _rows_check(job, progress)
    except ValidationError as error:  # the file as a whole cannot be read
        job_finish(job=job, message=" ".join(error.messages), problem_count=1)
        return
    job_finish(
        job=job,
        preview=[row.as_preview() for row in rows],
        total_rows=len(rows),
        problem_count=sum(len(row.errors) for row in rows),
    )


def _problems(rows: list[_Checked], shown: int = 5) -> str:
    problems = [
        _("Row %(row)s, %(field)s: %(message)s") % {"row": row.row, **error}
        for row in rows
        for error in row.errors
    ]
    more = len(problems) - shown
    text = " ".join(problems[:shown])
    if more <= 0:
        return text
    return " ".join([text, _("And %(count)s more.") % {"count": more}])


def _rows_import(job: AssetImport, skip_duplicates: bool) -> int:
    # The assets are written in one transaction, unseen until it ends: progress goes
    # through the cache meanwhile.
    report = _Progress(lambda percent: job_progress(job=job, percent=percent, in_transaction=True))
    rows = _rows_check(job, lambda percent: report(percent * 40 // 90))
    if any(row.errors for row in rows):
        raise ValidationError(
            _("The file no longer passes the checks, so nothing was imported. %(problems)s")
            % {"problems": _problems(rows)}
        )
    chosen = [row for row in rows if not (skip_duplicates and row.duplicates)]
    created = []
    for done, row in enumerate(chosen, start=1):
        try:
            asset = asset_create(
                recorded_by=job.requested_by,
                fields=row.fields,
                geometry=row.geometry,
                source=AssetSource.IMPORT,
                # A place-based asset with no location waits for a coordinator to place it.
                publish=row.geometry is not None
                or row.fields["category"].domain == Domain.INDIVIDUAL,
                areas=False,
            )
        except ValidationError as error:
            raise ValidationError(
                _("Row %(row)s: %(why)s Nothing was imported.")
                % {"row": row.row, "why": " ".join(error.messages)}
            ) from error
        created.append(asset.pk)
        report(40 + 60 * done // len(chosen))
    areas_assign(ids=created)
    return len(chosen)


def import_commit(*, job: AssetImport, skip_duplicates: bool) -> None:
    """The IMPORT step of a claimed job: create its rows as published assets, all or nothing.
    The rows are checked again, because assets or categories may have changed since the
    preview; any problem rolls everything back and the job is FAILED with the reason. If the
    job was taken from this run meanwhile (its worker was thought to have stopped), nothing
    is kept either."""
    try:
        with transaction.atomic():
            imported = _rows_import(job, skip_duplicates)
            if not job_finish(job=job, imported_count=imported):
                raise JobLost
    except ValidationError as error:
        job_fail(
            model=AssetImport, job_id=job.pk, message=" ".join(error.messages), held=job.attempts
        )


def _check_start(job: AssetImport) -> None:
    from assets.tasks import import_check_task  # the tasks call these services

    if job.total_rows <= IN_REQUEST_ROWS:
        import_check_task.run_here(job.pk)
    else:
        job_enqueue(job=job, task=import_check_task)


def import_start(
    *,
    requested_by,
    file_name: str,
    content: str,
    format: str,
    default_category: AssetCategory | None = None,
) -> AssetImport:
    """Record an upload and check it: at once for a small file, by the worker for a large
    one. Raises ValidationError, creating nothing, if the file cannot be read at all."""
    rows = _parse(content=content, format=format)
    job = AssetImport.objects.create(
        requested_by=requested_by,
        file_name=file_name[-200:],
        format=format,
        content=content,
        total_rows=len(rows),
        preview=[{"default_category_id": default_category.pk}] if default_category else [],
    )
    _check_start(job)
    job.refresh_from_db()
    return job


def import_confirm(*, job_id: int, skip_duplicates: bool) -> bool:
    """A coordinator confirmed the preview: import at once for a small file, else queue it for
    the worker (returns True). Confirming a job that is not READY (a second click) does nothing."""
    from assets.tasks import import_commit_task

    job = AssetImport.objects.only("status", "step", "problem_count", "total_rows").get(pk=job_id)
    if job.state != ImportStatus.READY:
        return False
    turned = AssetImport.objects.filter(
        pk=job_id, step=ImportStep.CHECK, status=JobStatus.DONE, problem_count=0
    ).update(
        step=ImportStep.IMPORT,
        status=JobStatus.QUEUED,
        progress=0,
        attempts=0,
        finished_at=None,
        lease_expires_at=timezone.now() + AssetImport.lease,
    )
    if not turned:  # another click got there first
        return False
    if job.total_rows <= IN_REQUEST_ROWS:
        import_commit_task.run_here(job_id, skip_duplicates)
        return False
    job_enqueue(job=job, task=import_commit_task, args=(skip_duplicates,))
    return True


def import_retry(*, job_id: int) -> None:
    """Start a FAILED job again from the check, with the same file and default category; the
    coordinator then confirms the fresh preview. Any other job is left as it is."""
    if job_retry(model=AssetImport, job_id=job_id, step=ImportStep.CHECK, problem_count=0):
        _check_start(AssetImport.objects.only("total_rows").get(pk=job_id))


def import_preview_rows(*, job: AssetImport) -> list[dict]:
    """The preview's rows, each with its category named in the current language."""
    slugs = {row["category"] for row in job.preview if row.get("category")}
    names = {c.slug: c.name for c in AssetCategory.objects.filter(slug__in=slugs)}
    return [
        {**row, "category_name": names.get(row.get("category")) or row.get("category_given")}
        for row in job.preview
        if "row" in row
    ]
