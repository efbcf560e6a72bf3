"""Account changes are audited (who, when, to whom) and bounded: a coordinator cannot give
another coordinator a new passphrase; only a superuser can."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from core import services
from core.models import Role, User
from core.tests.factories import TEST_PASSPHRASE, SiteFactory
from participants.models import AuditEvent
from participants.services import participant_sign_in_issue
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def account_events():
    return AuditEvent.objects.filter(subject="account").order_by("pk")


def issued_passphrase(response) -> str:
    return response.content.decode().split('id="issued-passphrase">')[1].split("<")[0]


@pytest.fixture
def superuser_client():
    admin = User.objects.create_superuser("site-admin", password="a-long-admin-passphrase")
    client = Client()
    client.force_login(admin, backend="core.backends.RoleBackend")
    return client


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


def test_issuing_a_sign_in_is_in_the_audit_log_with_who_and_whom(coordinator_client):
    before = timezone.now()
    coordinator_client.post(
        reverse("core:account-create"), {"username": "p-031", "role": Role.FACILITATOR}
    )

    event = account_events().get()
    assert (event.actor_name, event.action) == (coordinator_client.user.username, "create")
    assert event.detail == "p-031: sign-in as facilitator"
    assert event.at >= before
    page = coordinator_client.get(
        reverse("participants:audit-log"), {"q": "p-031"}
    ).content.decode()
    assert "p-031: sign-in as facilitator" in page


def test_a_new_passphrase_is_in_the_audit_log(coordinator_client, make_user):
    account = make_user(Role.PARTICIPANT, username="p-032")

    coordinator_client.post(reverse("core:passphrase-reset", args=[account.pk]))

    event = account_events().get()
    assert (event.actor_name, event.action, event.detail) == (
        coordinator_client.user.username,
        "change",
        "p-032: new passphrase",
    )


def test_a_participants_new_passphrase_is_logged_against_their_code(coordinator):
    participant = ParticipantFactory(code="P-044")
    participant_sign_in_issue(participant=participant, by=coordinator)
    participant_sign_in_issue(participant=participant, by=coordinator)  # a new passphrase

    reset = account_events().get(action="change")
    assert (reset.participant_code, reset.detail) == ("P-044", "p-044: new passphrase")


def test_a_coordinator_cannot_give_another_coordinator_a_new_passphrase(
    coordinator_client, make_user
):
    other = make_user(Role.COORDINATOR, username="coord-two")

    page = coordinator_client.get(reverse("core:passphrase-reset", args=[other.pk]))
    post = coordinator_client.post(reverse("core:passphrase-reset", args=[other.pk]))

    assert page.status_code == 403 and post.status_code == 403
    other.refresh_from_db()
    assert other.check_password(TEST_PASSPHRASE)
    assert not account_events().exists()
    listing = coordinator_client.get(reverse("core:account-list")).content.decode()
    assert "for coord-two" not in listing
    assert reverse("core:passphrase-reset", args=[other.pk]) not in listing


def test_the_service_refuses_it_too_with_a_reason(coordinator, make_user):
    other = make_user(Role.COORDINATOR)
    with pytest.raises(ValidationError, match="Only a superuser can give a coordinator"):
        services.account_passphrase_reset(user=other, by=coordinator)
    other.refresh_from_db()
    assert other.check_password(TEST_PASSPHRASE)


def test_a_coordinator_can_still_reset_a_facilitators_passphrase(coordinator_client, make_user):
    facilitator = make_user(Role.FACILITATOR, username="fac-one")
    listing = coordinator_client.get(reverse("core:account-list")).content.decode()
    assert reverse("core:passphrase-reset", args=[facilitator.pk]) in listing

    response = coordinator_client.post(reverse("core:passphrase-reset", args=[facilitator.pk]))

    facilitator.refresh_from_db()
    assert facilitator.check_password(issued_passphrase(response))


def test_a_superuser_can_give_a_coordinator_a_new_passphrase(superuser_client, make_user):
    other = make_user(Role.COORDINATOR, username="coord-three")

    response = superuser_client.post(reverse("core:passphrase-reset", args=[other.pk]))

    other.refresh_from_db()
    assert other.check_password(issued_passphrase(response))
    event = account_events().get()
    assert (event.actor_name, event.detail) == ("site-admin", "coord-three: new passphrase")


def test_a_role_change_in_the_admin_is_in_the_audit_log(superuser_client, make_user):
    account = make_user(Role.FACILITATOR, username="fac-two")
    url = reverse("admin:core_user_change", args=[account.pk])
    form = {
        "username": "fac-two",
        "is_active": "on",
        "groups": [Group.objects.get(name=Role.COORDINATOR).pk],
        "sites": [site.pk for site in account.sites.all()],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "10:00:00",
    }

    response = superuser_client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    account = User.objects.get(pk=account.pk)
    assert account.role == Role.COORDINATOR
    event = account_events().get()
    assert event.actor_name == "site-admin"
    assert event.detail == "fac-two: groups: facilitator → coordinator"


def test_a_change_of_sites_in_the_admin_is_in_the_audit_log(superuser_client, make_user):
    account = make_user(Role.FACILITATOR, username="fac-three")
    cardiff = SiteFactory(slug="cardiff", name_en="Cardiff")
    form = {
        "username": "fac-three",
        "is_active": "on",
        "groups": [Group.objects.get(name=Role.FACILITATOR).pk],
        "sites": [cardiff.pk],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "10:00:00",
    }

    response = superuser_client.post(reverse("admin:core_user_change", args=[account.pk]), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(User.objects.get(pk=account.pk).sites.all()) == [cardiff]
    assert account_events().get().detail == "fac-three: sites: Test site → Cardiff"


def test_a_passphrase_set_in_the_admin_is_in_the_audit_log(superuser_client, make_user):
    account = make_user(Role.EVALUATOR, username="eval-two")
    url = reverse("admin:auth_user_password_change", args=[account.pk])

    response = superuser_client.post(
        url,
        {
            "password1": "kettle-harbour-violet-swan",
            "password2": "kettle-harbour-violet-swan",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert account.check_password("kettle-harbour-violet-swan")
    event = account_events().get()
    assert (event.actor_name, event.detail) == ("site-admin", "eval-two: new passphrase, in admin")


def test_the_audit_log_names_what_was_done_to_in_the_page_language(coordinator_client):
    coordinator_client.post(
        reverse("core:account-create"), {"username": "p-032", "role": Role.FACILITATOR}
    )
    me = coordinator_client.user
    AuditEvent.objects.create(
        actor=me, actor_name=me.username, action="read", subject="personal_details"
    )

    def cells(language: str) -> str:
        with translation.override(language):
            url = reverse("participants:audit-log")
        return coordinator_client.get(url, {"q": me.username}).content.decode()

    english, welsh = cells("en"), cells("cy")
    assert "Personal details" in english and "personal_details" not in english
    assert "Manylion personol" in welsh and "personal_details" not in welsh
    assert ">Cyfrif<" in welsh and ">Account<" in english
