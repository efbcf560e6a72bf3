from datetime import timedelta

from axes.models import AccessAttempt
from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), max_retries=3, retry_backoff=True)
def purge_expired_sign_in_data() -> dict[str, int]:
    """Nightly: delete expired sessions and failed sign-in records older than the cool-off.
    Running it twice deletes nothing more."""
    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    attempts, _ = AccessAttempt.objects.filter(
        attempt_time__lt=now - max(settings.AXES_COOLOFF_TIME, timedelta(days=1))
    ).delete()
    return {"sessions": sessions, "failed_sign_ins": attempts}
