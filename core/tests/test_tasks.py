import uuid
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from celery.exceptions import Retry
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import OperationalError as DatabaseOperationalError
from django.utils import timezone

from core.models import FormSubmission
from core.tasks import purge_expired_sign_in_data


def make_session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["x"] = 1
    store.set_expiry(expires_in)
    store.create()
    return store.session_key


def make_attempt(username: str, age: timedelta) -> None:
    attempt = AccessAttempt.objects.create(
        username=username, ip_address="127.0.0.1", user_agent="t", failures_since_start=1
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - age)


@pytest.mark.django_db
def test_purge_removes_only_expired_sessions_and_old_failed_sign_ins():
    current = make_session(timedelta(hours=1))
    make_session(timedelta(seconds=-10))
    make_attempt("p-1", timedelta(days=2))
    make_attempt("p-2", timedelta(minutes=1))
    for age in (timedelta(days=7, minutes=1), timedelta(days=6, hours=23)):
        token = FormSubmission.objects.create(token=uuid.uuid4(), result_url="/en/")
        FormSubmission.objects.filter(pk=token.pk).update(created_at=timezone.now() - age)
    assert purge_expired_sign_in_data() == {"sessions": 1, "failed_sign_ins": 1, "form_tokens": 1}
    assert list(Session.objects.values_list("session_key", flat=True)) == [current]
    assert AccessAttempt.objects.count() == 1
    assert FormSubmission.objects.count() == 1
    assert purge_expired_sign_in_data() == {"sessions": 0, "failed_sign_ins": 0, "form_tokens": 0}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_the_purge_against_the_database(celery_worker_live):
    make_session(timedelta(seconds=-10))
    kept = make_session(timedelta(hours=1))
    result = purge_expired_sign_in_data.delay()
    assert result.get(timeout=30) == {"sessions": 1, "failed_sign_ins": 0, "form_tokens": 0}
    assert list(Session.objects.values_list("session_key", flat=True)) == [kept]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "raised"),
    [
        (DatabaseOperationalError("server closed the connection"), Retry),
        (ValueError("a bug"), ValueError),
    ],
)
def test_the_nightly_purge_retries_a_lost_database_but_not_a_bug(error, raised):
    """A lost PostgreSQL connection raises django.db.OperationalError, not the builtin
    ConnectionError: the purge asks Celery to try again; a bug fails at once."""
    with (
        mock.patch("core.tasks.Session.objects.filter", side_effect=error) as purge,
        pytest.raises(raised),
    ):
        purge_expired_sign_in_data.apply()
    assert purge.call_count == 1
