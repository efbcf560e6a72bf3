"""Background jobs of the assets app: thin wrappers over services, taking primary keys.
Each job records its progress and outcome on its model row for the page to show (DESIGN §3)."""

from contextlib import contextmanager

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from assets.services import imports
from core.tasks import TRANSIENT_ERRORS

# A 5 MB file is some 30,000 rows: checking takes seconds, importing a minute or two.
IMPORT_LIMITS = {"soft_time_limit": 15 * 60, "time_limit": 16 * 60}


@contextmanager
def _import_failure_recorded(task: Task, job_id: int, language: str | None):
    """Run in the coordinator's language; on an unexpected error, mark the job FAILED with a
    short message (or, when Celery will retry a lost connection, hand it back) and re-raise."""
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            yield
        except TRANSIENT_ERRORS:
            if task.request.retries < task.max_retries:
                imports.import_release(job_id=job_id)
            else:
                imports.import_fail(job_id=job_id)
            raise
        except SoftTimeLimitExceeded:
            imports.import_fail(
                job_id=job_id,
                message=_("The file took too long. Split it into smaller files and import each."),
            )
            raise
        except Exception:
            imports.import_fail(job_id=job_id)
            raise


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=3,
    retry_backoff=True,
    **IMPORT_LIMITS,
)
def import_check_task(self, job_id: int, language: str | None = None) -> str:
    """Check every row of an uploaded file into a preview. Running it twice changes nothing."""
    with _import_failure_recorded(self, job_id, language):
        return imports.import_check(job_id=job_id).status


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=3,
    retry_backoff=True,
    **IMPORT_LIMITS,
)
def import_commit_task(
    self, job_id: int, skip_duplicates: bool, language: str | None = None
) -> str:
    """Import a checked file, all or nothing. Only the first run for a job imports anything."""
    with _import_failure_recorded(self, job_id, language):
        return imports.import_commit(job_id=job_id, skip_duplicates=skip_duplicates).status


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, max_retries=3, retry_backoff=True)
def import_stale_fail_task() -> int:
    """Every few minutes (beat): fail the imports whose worker stopped, so their page offers
    "Try again" instead of "checking" forever."""
    return imports.import_stale_fail()
