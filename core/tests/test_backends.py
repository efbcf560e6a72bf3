"""The sign-in backend (core.backends.RoleBackend) reads the user with their role and
permissions in one query, on every request: a change shows on the next one."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.models import Role

pytestmark = pytest.mark.django_db
HOME = reverse("core:home")


def menu(client) -> str:
    html = client.get(HOME).content.decode()
    return html.split('id="navigation"', 1)[1].split("</ul>", 1)[0]


def test_a_change_of_role_shows_on_the_next_request(client_as):
    client = client_as("facilitator")
    assert "Workshops" in menu(client) and "My page" not in menu(client)

    client.user.groups.set([Group.objects.get(name=Role.PARTICIPANT)])

    assert "My page" in menu(client) and "Workshops" not in menu(client)


def test_a_permission_given_to_the_person_counts_beside_the_role_s(client_as):
    client = client_as("partner")
    assert "Moderation" not in menu(client)

    client.user.user_permissions.add(Permission.objects.get(codename="moderate_asset"))

    assert "Moderation" in menu(client)


def test_a_signed_in_page_reads_the_person_in_two_queries(client_as, django_assert_max_num_queries):
    client = client_as("partner")
    client.get(reverse("core:accessibility"))
    # The session, and the user with their role and the permissions for the menu.
    with django_assert_max_num_queries(2):
        page = client.get(reverse("core:accessibility"))
    assert page.status_code == 200 and "Sign out" in page.content.decode()


def test_a_superuser_without_a_role_sees_every_menu_item(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", password="x" * 20)
    client.force_login(admin, backend="core.backends.RoleBackend")

    assert "Moderation" in menu(client) and "Participants" in menu(client)


def test_a_person_without_a_role_or_permission_sees_only_the_public_menu(client, django_user_model):
    person = django_user_model.objects.create_user("nobody", password="x" * 20)
    client.force_login(person, backend="core.backends.RoleBackend")

    assert "Sign out" in menu(client)
    assert "Moderation" not in menu(client) and "Workshops" not in menu(client)
