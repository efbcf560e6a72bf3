"""Django's passphrase checks speak the product's words: *passphrase*, never *password*, in
English and Welsh, on the page where a person changes theirs."""

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.models import Role
from core.tests.factories import TEST_PASSPHRASE


def problems(passphrase: str, user=None) -> list[str]:
    try:
        validate_password(passphrase, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    ("passphrase", "english", "welsh"),
    [
        ("short one", "This passphrase is too short. Use at least 10 characters.",
         "Mae'r cyfrinymadrodd hwn yn rhy fyr. Defnyddiwch o leiaf 10 nod."),
        ("1234567890", "This passphrase is only numbers. Add some words.",
         "Dim ond rhifau sydd yn y cyfrinymadrodd hwn. Ychwanegwch rai geiriau."),
        ("password123", "Many people use this passphrase. Choose one that is harder to guess.",
         "Mae llawer o bobl yn defnyddio'r cyfrinymadrodd hwn. Dewiswch un sy'n anoddach ei "
         "ddyfalu."),
    ],
)  # fmt: skip
def test_each_check_says_passphrase_in_english_and_welsh(passphrase, english, welsh):
    assert english in problems(passphrase)
    with translation.override("cy"):
        assert welsh in problems(passphrase)


def test_a_passphrase_like_the_username_is_refused_in_welsh(make_user):
    user = make_user(Role.PARTICIPANT, username="gwenllian.jones")
    with translation.override("cy"):
        assert problems("gwenllian.jones", user) == [
            "Mae'r cyfrinymadrodd hwn yn rhy debyg i'ch enw defnyddiwr."
        ]


def test_no_check_says_password_in_either_language():
    for language in ("en", "cy"):
        with translation.override(language):
            texts = password_validators_help_texts() + problems("1234")
            assert texts and not [t for t in texts if "password" in t.lower()]
            assert not [t for t in texts if "cyfrinair" in t.lower()]


def test_the_change_page_shows_the_welsh_help_and_error(client_as):
    client = client_as(Role.PARTICIPANT)
    with translation.override("cy"):
        url = reverse("core:password-change")
    page = client.get(url).content.decode()
    assert "Defnyddiwch o leiaf 10 nod" in page
    response = client.post(
        url,
        {
            "old_password": TEST_PASSPHRASE,
            "new_password1": "12345678901",
            "new_password2": "12345678901",
        },
    )
    assert "Dim ond rhifau sydd yn y cyfrinymadrodd hwn" in response.content.decode()
    client.user.refresh_from_db()
    assert client.user.check_password(TEST_PASSPHRASE)
