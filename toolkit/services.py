"""Writes of the toolkit app."""

import logging

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from core.jobs import (
    JobLost,
    job_enqueue,
    job_file_save,
    job_finish,
    job_is_stale,
    job_progress,
    job_retry,
)
from core.models import UNFINISHED, Site
from core.services import version_check
from core.sites import sites_of
from toolkit.models import ToolkitExport, ToolkitRevision, ToolkitSection

logger = logging.getLogger(__name__)

FIELDS = ("title_en", "title_cy", "body_en", "body_cy")
LONGEST_BODY = 20_000


def _check(fields: dict) -> None:
    errors = {}
    for name in FIELDS:
        if not (fields.get(name) or "").strip():
            errors[name] = _("Write this: the toolkit is published in English and in Welsh.")
    for name in ("body_en", "body_cy"):
        if len(fields.get(name) or "") > LONGEST_BODY:
            errors[name] = _("Keep a section under %(count)s characters; split it if need be.") % {
                "count": f"{LONGEST_BODY:,}"
            }
    if errors:
        raise ValidationError(errors)


def toolkit_section_update(
    *, section: ToolkitSection, fields: dict, by, version: str | None = None
) -> ToolkitSection:
    """Save a section's titles and texts in both languages and keep the revision (who, when,
    what). Refused with EditConflict if someone else saved it since `version`; a save that
    changes nothing records nothing."""
    _check(fields)
    with transaction.atomic():
        current = ToolkitSection.objects.select_for_update().get(pk=section.pk)
        version_check(current=current, seen=version)
        changed = {name: fields[name].strip() for name in FIELDS}
        if all(getattr(current, name) == value for name, value in changed.items()):
            return current
        for name, value in changed.items():
            setattr(current, name, value)
        current.updated_by = by
        current.save(update_fields=[*FIELDS, "updated_by", "updated_at"])
        ToolkitRevision.objects.create(section=current, changed_by=by, **changed)
    return current


# --- The export: a site's toolkit built as a job (toolkit.tasks) -----------------------------


def _export_parts(job: ToolkitExport) -> dict[str, bytes]:
    """Build the three files, reporting progress between the parts. The two languages are
    rendered at once: the English PDF by a child process (the worker's second core) while
    this one makes the Welsh HTML and renders it."""
    from toolkit import builder

    scope = builder.site_scope(job.site, base_url=job.base_url)
    with builder.PdfChild(builder.toolkit_html(scope, language="en")) as english:
        welsh = builder.toolkit_pdf(builder.toolkit_html(scope, language="cy"))
        job_progress(job=job, percent=40)
        pdfs = {"en": english.pdf(), "cy": welsh}
    job_progress(job=job, percent=80)
    bundle = builder.bundle_zip(builder.bundle_files(scope, pdfs))
    job_progress(job=job, percent=90)
    return {"toolkit-en.pdf": pdfs["en"], "toolkit-cy.pdf": pdfs["cy"], "toolkit.zip": bundle}


def _files_remove(files: list[dict]) -> None:
    for entry in files:
        try:
            default_storage.delete(entry["path"])
        except OSError:  # already gone: nothing to remove
            logger.warning("Could not remove %s", entry["path"])


def toolkit_build(*, job: ToolkitExport) -> None:
    """Build a site's toolkit and store its three files on the job, then finish it. Run again
    (a retry after a lost connection), it removes what an earlier run stored first, so the job
    always ends with exactly the three files."""
    files = _export_parts(job)
    _files_remove(job.result_files)
    ToolkitExport.objects.filter(pk=job.pk).update(result_files=[])
    job.result_files = []
    for name in ToolkitExport.FILES:
        job_file_save(job=job, name=name, content=files[name])
    if not job_finish(job=job):
        raise JobLost


def toolkit_export_start(*, requested_by, site: Site, base_url: str) -> ToolkitExport:
    """Ask for a site's toolkit to be built on the worker. Only for a site the person reaches;
    while one for that site is still being built, that one is returned instead of a second."""
    if not sites_of(requested_by).filter(pk=site.pk).exists():
        raise ValidationError(_("You can only export the toolkit of your own sites."))
    with transaction.atomic():
        Site.objects.select_for_update().get(pk=site.pk)  # one request at a time per site
        running = ToolkitExport.objects.filter(site=site, status__in=UNFINISHED).first()
        if running is not None and not job_is_stale(job=running):
            return running
        job = ToolkitExport.objects.create(
            requested_by=requested_by, site=site, base_url=base_url.rstrip("/")
        )
        job_enqueue(job=job, task=_task())
    return job


def toolkit_export_retry(*, job_id: int) -> None:
    if job_retry(model=ToolkitExport, job_id=job_id):
        job_enqueue(job=ToolkitExport.objects.get(pk=job_id), task=_task())


def toolkit_export_delete(*, job: ToolkitExport) -> None:
    """Delete an export and its files. One still being built cannot be: its worker would
    store files after the row had gone."""
    with transaction.atomic():
        current = ToolkitExport.objects.select_for_update().filter(pk=job.pk).first()
        if current is None:
            return
        if current.is_unfinished and not job_is_stale(job=current):
            raise ValidationError(_("Wait until the export has finished, then delete it."))
        files = list(current.result_files)
        current.delete()
        transaction.on_commit(lambda: _files_remove(files))


def _task():
    from toolkit.tasks import toolkit_export_task

    return toolkit_export_task
