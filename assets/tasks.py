"""Background jobs of the assets app: thin tasks over services, made by the job layer
(core.jobs.job_task), which claims the job, retries a lost connection and records progress,
failure and outcome on its row for the page to show (DESIGN §3)."""

from assets.models import AssetImport, ImportStep
from assets.services import imports
from core.jobs import job_task

# A 5 MB file is some 30,000 rows: checking takes seconds, importing a minute or two. The
# job's lease (AssetImport.lease) is longer than the hard limit.
IMPORT_LIMITS = {"soft_time_limit": 15 * 60, "time_limit": 16 * 60}


@job_task(AssetImport, only={"step": ImportStep.CHECK}, **IMPORT_LIMITS)
def import_check_task(job: AssetImport) -> None:
    """Check every row of an uploaded file into a preview. Running it twice changes nothing."""
    imports.import_check(job=job)


@job_task(AssetImport, only={"step": ImportStep.IMPORT}, **IMPORT_LIMITS)
def import_commit_task(job: AssetImport, skip_duplicates: bool) -> None:
    """Import a checked file, all or nothing. Only the first run for a job imports anything."""
    imports.import_commit(job=job, skip_duplicates=skip_duplicates)
