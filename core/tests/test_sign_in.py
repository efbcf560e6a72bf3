import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from core import services
from core.models import Role, User
from core.tests.factories import TEST_PASSPHRASE, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, username, passphrase, **extra):
    return client.post(
        reverse("core:sign-in"), {"username": username, "password": passphrase}, **extra
    )


def test_migration_creates_the_five_roles_and_coordinators_manage_accounts():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    coordinator = Group.objects.get(name=Role.COORDINATOR)
    assert coordinator.permissions.filter(codename="manage_accounts").exists()
    for role in (Role.FACILITATOR, Role.PARTICIPANT, Role.EVALUATOR, Role.PARTNER):
        assert (
            not Group.objects.get(name=role).permissions.filter(codename="manage_accounts").exists()
        )


def test_participant_signs_in_with_an_issued_passphrase_and_no_email():
    user, passphrase = services.account_create(
        username="p-017", role=Role.PARTICIPANT, by=UserFactory(role=Role.COORDINATOR)
    )
    assert user.email == ""
    assert len(passphrase.split("-")) == 4
    client = Client()
    response = sign_in(client, "p-017", passphrase, follow=True)
    assert response.redirect_chain[-1][0] == "/en/"
    assert "Hello, p-017" in response.content.decode()
    assert "Add what is good here" in response.content.decode()


def test_wrong_passphrase_gets_a_clear_message_and_stays_signed_out():
    User.objects.create_user("p-018", password="right-words-here-now")
    client = Client()
    response = sign_in(client, "p-018", "wrong-words")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The username or passphrase is not right" in page
    assert "_auth_user_id" not in client.session


def test_repeated_failed_sign_ins_are_throttled_even_with_the_right_passphrase(settings):
    User.objects.create_user("p-019", password=TEST_PASSPHRASE)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "p-019", "guess")
    response = sign_in(client, "p-019", TEST_PASSPHRASE)
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttling_one_account_does_not_lock_out_others_on_the_same_wifi(settings):
    User.objects.create_user("p-020", password=TEST_PASSPHRASE)
    User.objects.create_user("p-021", password=TEST_PASSPHRASE)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "p-020", "guess")
    response = sign_in(Client(), "p-021", TEST_PASSPHRASE)
    assert response.status_code == 302


def test_sign_out_is_a_post_and_ends_the_session(participant_client):
    assert participant_client.get(reverse("core:sign-out")).status_code == 405
    response = participant_client.post(reverse("core:sign-out"))
    assert response.status_code == 302
    assert "_auth_user_id" not in participant_client.session


def test_participant_changes_their_passphrase(participant_client):
    response = participant_client.post(
        reverse("core:password-change"),
        {
            "old_password": TEST_PASSPHRASE,
            "new_password1": "kettle-harbour-violet-swan",
            "new_password2": "kettle-harbour-violet-swan",
        },
        follow=True,
    )
    assert "Passphrase changed" in response.content.decode()
    participant_client.user.refresh_from_db()
    assert participant_client.user.check_password("kettle-harbour-violet-swan")


def test_passphrase_change_with_mismatch_says_which_field(participant_client):
    response = participant_client.post(
        reverse("core:password-change"),
        {
            "old_password": TEST_PASSPHRASE,
            "new_password1": "kettle-harbour-violet-swan",
            "new_password2": "kettle-harbour-violet-sw",
        },
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_new_password2"' in page
    participant_client.user.refresh_from_db()
    assert participant_client.user.check_password(TEST_PASSPHRASE)


def test_empty_sign_in_says_which_field_is_missing_and_keeps_the_service_name(client):
    page = client.post(reverse("core:sign-in"), {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in page
    assert '<a href="#id_password">Enter your passphrase</a>' in page
    # Django's LoginView puts the host name in `site_name`; the header must still say ours.
    assert 'class="app-header__name">Cymuned</a>' in page


PROXY = "10.0.0.2"  # the TLS proxy in front of gunicorn, as gunicorn sees it


def through_proxy(client_address: str, claimed: str = "") -> dict:
    """The request headers as gunicorn receives them from the proxy, which appends the address
    it saw to whatever X-Forwarded-For the client sent."""
    forwarded = f"{claimed}, {client_address}" if claimed else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def test_behind_a_proxy_one_persons_wrong_tries_do_not_lock_others_out(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_user("coordinator-1", password=TEST_PASSPHRASE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "coordinator-1", "guess", **through_proxy("203.0.113.5"))

    locked = sign_in(Client(), "coordinator-1", TEST_PASSPHRASE, **through_proxy("203.0.113.5"))
    elsewhere = sign_in(Client(), "coordinator-1", TEST_PASSPHRASE, **through_proxy("198.51.100.9"))

    assert locked.status_code == 429 and "Too many tries" in locked.content.decode()
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/en/"


def test_behind_a_proxy_a_client_cannot_dodge_the_lockout_with_its_own_forwarded_for(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_user("coordinator-2", password=TEST_PASSPHRASE)
    for n in range(settings.AXES_FAILURE_LIMIT):
        claimed = f"192.0.2.{n}"  # a different made-up address each time
        sign_in(Client(), "coordinator-2", "guess", **through_proxy("203.0.113.5", claimed))

    response = sign_in(
        Client(), "coordinator-2", TEST_PASSPHRASE, **through_proxy("203.0.113.5", "192.0.2.99")
    )

    assert response.status_code == 429


def test_behind_a_proxy_a_client_cannot_lock_out_someone_else_by_naming_their_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_user("coordinator-3", password=TEST_PASSPHRASE)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "coordinator-3", "guess", **through_proxy("203.0.113.5", "198.51.100.9"))

    response = sign_in(Client(), "coordinator-3", TEST_PASSPHRASE, **through_proxy("198.51.100.9"))

    assert response.status_code == 302


def test_without_a_proxy_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    User.objects.create_user("p-022", password=TEST_PASSPHRASE)
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(
            Client(),
            "p-022",
            "guess",
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )

    response = sign_in(
        Client(),
        "p-022",
        TEST_PASSPHRASE,
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )

    assert response.status_code == 429
