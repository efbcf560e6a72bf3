"""Background jobs of the toolkit app (core.jobs): thin tasks over services."""

from core.jobs import job_task
from toolkit.models import ToolkitExport
from toolkit.services import toolkit_build


@job_task(ToolkitExport, soft_time_limit=4 * 60, time_limit=5 * 60)
def toolkit_export_task(job: ToolkitExport) -> None:
    """A site's toolkit in English and Welsh and its data bundle, built and stored.
    Idempotent: a run that is retried starts from nothing and stores the same three files."""
    toolkit_build(job=job)
