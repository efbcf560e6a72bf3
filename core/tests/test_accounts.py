import pytest
from django.test import Client
from django.urls import reverse

from core.models import Role, User

pytestmark = pytest.mark.django_db


def test_coordinator_issues_a_participant_sign_in_shown_once(coordinator_client):
    response = coordinator_client.post(
        reverse("core:account-create"), {"username": "p-031", "role": Role.PARTICIPANT}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    account = User.objects.get(username="p-031")
    assert account.role == Role.PARTICIPANT
    passphrase = page.split('id="issued-passphrase">')[1].split("<")[0]
    assert account.check_password(passphrase)
    # Shown once: the list never shows it again.
    assert passphrase not in coordinator_client.get(reverse("core:account-list")).content.decode()


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("a b", "with no spaces"),
        ("x", "Use 3 to 40 letters"),
        ("<script>", "Use 3 to 40 letters"),
    ],
)
def test_bad_username_says_why_and_creates_nothing(coordinator_client, username, message):
    before = User.objects.count()
    response = coordinator_client.post(
        reverse("core:account-create"), {"username": username, "role": Role.PARTICIPANT}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert 'href="#id_username"' in page
    assert User.objects.count() == before


def test_taken_username_is_refused_whatever_its_case(coordinator_client, make_user):
    make_user(Role.PARTICIPANT, username="amina")
    response = coordinator_client.post(
        reverse("core:account-create"), {"username": "AMINA", "role": Role.PARTICIPANT}
    )
    assert "The username AMINA is taken" in response.content.decode()
    assert User.objects.filter(username__iexact="amina").count() == 1


def test_missing_role_points_at_the_first_radio(coordinator_client):
    response = coordinator_client.post(reverse("core:account-create"), {"username": "p-040"})
    page = response.content.decode()
    assert 'href="#id_role_0"' in page
    assert not User.objects.filter(username="p-040").exists()


def test_new_passphrase_replaces_the_old_one(coordinator_client, make_user):
    account = make_user(Role.PARTICIPANT)
    response = coordinator_client.post(reverse("core:passphrase-reset", args=[account.pk]))
    passphrase = response.content.decode().split('id="issued-passphrase">')[1].split("<")[0]
    account.refresh_from_db()
    assert account.check_password(passphrase)
    old = Client().post(
        reverse("core:sign-in"),
        {"username": account.username, "password": "test-passphrase-for-everyone"},
    )
    assert "The username or passphrase is not right" in old.content.decode()


def test_coordinator_cannot_reset_a_superusers_passphrase(coordinator_client):
    admin = User.objects.create_superuser("admin", password="a-long-admin-passphrase")
    response = coordinator_client.post(reverse("core:passphrase-reset", args=[admin.pk]))
    assert response.status_code == 404
    admin.refresh_from_db()
    assert admin.check_password("a-long-admin-passphrase")


def test_account_list_filters_by_role_in_constant_queries(
    coordinator_client, make_user, django_assert_max_num_queries
):
    for _ in range(12):
        make_user(Role.PARTICIPANT)
    make_user(Role.EVALUATOR, username="eval-one")
    with django_assert_max_num_queries(9):
        response = coordinator_client.get(reverse("core:account-list"), {"role": Role.EVALUATOR})
    page = response.content.decode()
    assert "eval-one" in page
    assert "1 sign-in" in page
    with django_assert_max_num_queries(9):
        response = coordinator_client.get(reverse("core:account-list"))
    assert "14 sign-ins" in response.content.decode()


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.PARTICIPANT, Role.EVALUATOR, Role.PARTNER])
def test_only_coordinators_issue_sign_ins(client_as, role):
    client = client_as(role)
    response = client.post(
        reverse("core:account-create"), {"username": "sneaky", "role": "coordinator"}
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="sneaky").exists()
