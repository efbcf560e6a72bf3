"""Workshops share tablets: a session ends when the browser closes and after a short time idle,
and every request pushes the idle limit back."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.tests.factories import TEST_PASSPHRASE

pytestmark = pytest.mark.django_db


def signed_in(make_user, role="participant"):
    user = make_user(role)
    client = Client()
    response = client.post(
        reverse("core:sign-in"), {"username": user.username, "password": TEST_PASSPHRASE}
    )
    return client, response


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_the_session_cookie_ends_with_the_browser(make_user):
    _, response = signed_in(make_user)
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_the_idle_limit_is_thirty_minutes_by_default(settings, make_user):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client, _ = signed_in(make_user)
    left = session_row(client).expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)


def test_a_session_idle_past_the_limit_is_signed_out(make_user):
    client, _ = signed_in(make_user)
    assert "Hello," in client.get(reverse("core:home")).content.decode()
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)  # 30 minutes without a request
    )

    response = client.get(reverse("core:password-change"))  # any page behind the sign-in

    assert response.status_code == 302 and response["Location"].startswith("/en/sign-in/")
    assert "Hello," not in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize(("seconds", "signed_in_still"), [(-1, False), (5, True)])
def test_the_session_is_read_up_to_its_limit_and_not_after(make_user, seconds, signed_in_still):
    """The session's row as core.sessions.SessionStore reads it, by its own statement."""
    client, _ = signed_in(make_user)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=seconds)
    )

    page = client.get(reverse("core:home")).content.decode()

    assert ("Hello," in page) is signed_in_still
    assert type(client.session).__module__ == "core.sessions"


def idle_for(client, minutes: int) -> None:
    session = client.session
    session["active_at"] = int(time.time()) - minutes * 60
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=30 - minutes)
    )


def test_a_request_after_a_few_idle_minutes_pushes_the_limit_back(make_user):
    client, _ = signed_in(make_user)
    idle_for(client, 29)

    page = client.get(reverse("core:home")).content.decode()

    assert "Hello," in page
    left = session_row(client).expire_date - timezone.now()
    assert left > timedelta(minutes=29)


def test_requests_in_quick_succession_do_not_write_the_session(make_user):
    client, _ = signed_in(make_user)
    idle_for(client, 2)  # under a tenth of the limit
    before = session_row(client).expire_date

    assert "Hello," in client.get(reverse("core:home")).content.decode()

    assert session_row(client).expire_date == before
