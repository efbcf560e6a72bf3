"""A person's skills stay inside the project on workshop pages too (the same rule and the same
people as assets/tests/test_visibility.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.tests.test_visibility import INSIDE, PLACE, PRIVATE, ROLES, SHARED, skills  # noqa: F401 (a fixture)
from core.models import Role
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_common_ground_lists_unconsented_skills_only_inside_the_project(client_as, skills, role):  # noqa: F811
    response = client_as(role).get(reverse("workshops:common-ground"))
    if role is None:
        assert response["Location"].startswith("/en/sign-in/")
        return
    page = response.content.decode()
    assert PLACE in page and SHARED in page
    assert (PRIVATE in page) == (role in INSIDE)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FACILITATOR])
def test_workshop_report_is_inside_the_project_and_lists_what_it_found(client_as, skills, role):  # noqa: F811
    client = client_as(role)
    start = timezone.now() - timedelta(days=2)
    held = Workshop.objects.create(
        title="Skills swap", starts_at=start, ends_at=start + timedelta(hours=2), status="held"
    )
    held.facilitators.set([client.user])
    held.assets_identified.set([skills["private"]])
    assert (
        PRIVATE in client.get(reverse("workshops:workshop-report", args=[held.pk])).content.decode()
    )
    for outside in (Role.EVALUATOR, Role.PARTNER):
        response = client_as(outside).get(reverse("workshops:workshop-report", args=[held.pk]))
        assert response.status_code == 403 and PRIVATE not in response.content.decode()
