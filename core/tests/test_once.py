"""Sending a form once: core.services.form_submission_once (its concurrent use on
PostgreSQL is in tests/test_concurrency.py)."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from core.models import FormSubmission, Role
from core.services import form_submission_once

pytestmark = pytest.mark.django_db


def test_the_same_token_sent_twice_makes_one_thing_and_returns_its_page(make_user):
    user, token, made = make_user(Role.COORDINATOR), uuid.uuid4(), []

    def send():
        made.append(len(made) + 1)
        return f"/en/things/{len(made)}/"

    assert form_submission_once(token=token, user=user, send=send) == ("/en/things/1/", True)
    assert form_submission_once(token=token, user=user, send=send) == ("/en/things/1/", False)
    assert made == [1]


def test_a_refused_send_keeps_nothing_so_the_corrected_form_can_be_sent(make_user):
    user, token = make_user(Role.COORDINATOR), uuid.uuid4()

    def refuse():
        raise ValidationError("Not like that.")

    with pytest.raises(ValidationError):
        form_submission_once(token=token, user=user, send=refuse)
    assert not FormSubmission.objects.exists()
    assert form_submission_once(token=token, user=user, send=lambda: "/en/done/") == (
        "/en/done/",
        True,
    )


def test_someone_elses_token_is_refused_and_shows_them_nothing(make_user):
    token = uuid.uuid4()
    form_submission_once(token=token, user=make_user(Role.COORDINATOR), send=lambda: "/en/p/1/")
    with pytest.raises(ValidationError) as refused:
        form_submission_once(token=token, user=make_user(Role.COORDINATOR), send=lambda: "/x/")
    assert refused.value.messages == [
        "This form was already sent. Open it again to send something new."
    ]
