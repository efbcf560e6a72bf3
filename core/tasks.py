from datetime import timedelta

from axes.models import AccessAttempt
from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.jobs import TRANSIENT_ERRORS, jobs_stale_fail
from core.models import FormSubmission

# A form's one-time token guards against a double tap or a resend; a week covers any form left
# open on a tablet between workshops.
FORM_TOKEN_DAYS = 7


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, max_retries=3, retry_backoff=True)
def purge_expired_sign_in_data() -> dict[str, int]:
    """Nightly: delete expired sessions, failed sign-in records older than the cool-off and
    one-time form tokens older than a week. Running it twice deletes nothing more."""
    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - max(settings.AXES_COOLOFF_TIME, timedelta(days=1))
    ).delete()
    tokens, _ = FormSubmission.objects.filter(
        created_at__lt=now - timedelta(days=FORM_TOKEN_DAYS)
    ).delete()
    return {"sessions": sessions, "failed_sign_ins": attempts, "form_tokens": tokens}


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, max_retries=3, retry_backoff=True)
def jobs_stale_fail_task() -> int:
    """Every few minutes (beat): fail, with "Try again", every background job of every kind
    whose lease expired (its worker stopped, or its message was lost), so no page says
    "running" for ever."""
    return jobs_stale_fail()


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=3,
    retry_backoff=True,
    soft_time_limit=600,
    time_limit=660,
)
def changes_drain_task() -> int:
    """Drain the change outbox (core/changes.py): queued a few seconds after a change, and by
    beat every few minutes as a safety net. A failing handler leaves the rows for the next
    drain."""
    from core.changes import changes_drain, changes_purge

    drained = changes_drain()
    changes_purge()
    return drained
