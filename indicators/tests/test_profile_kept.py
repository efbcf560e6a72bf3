"""An area profile's figures are rendered once per change of what they show
(indicators.versions): a value saved, imported or worked out, or an area renamed, shows on
the next request, and counts of people kept for a coordinator never reach anyone else."""

import pytest
from django.utils import timezone

from core.models import Role
from indicators.models import AreaSummary
from indicators.services import indicator_values_import
from indicators.tests.test_profile import places, value  # noqa: F401
from indicators.tests.test_values_import import HEADER

pytestmark = pytest.mark.django_db

PROFILE = "/en/areas/W06000011/"


def page(client) -> str:
    response = client.get(PROFILE)
    assert response.status_code == 200
    return response.content.decode()


def test_a_value_saved_or_imported_shows_on_the_next_request(client, places):  # noqa: F811
    wales, county, msoas = places
    value("volunteering", wales, 27.0)
    saved = value("volunteering", county, 40.0, numerator=80, denominator=200)
    assert "40.0%" in page(client)
    saved.value = 41.0
    saved.save()  # as the Django admin saves
    assert "41.0%" in page(client)
    indicator_values_import(  # bulk: no signal
        content=HEADER + "volunteering,W06000011,2024-25,43.0,,,,,,\n"
    )
    assert "43.0%" in page(client) and "41.0%" not in page(client)


def test_an_area_renamed_shows_on_the_next_request(client, places):  # noqa: F811
    wales, county, msoas = places
    assert "Swansea 020" in page(client)
    msoas[0].name_en = "Sketty"
    msoas[0].save()
    assert "Sketty" in page(client) and "Swansea 020" not in page(client)


def test_a_coordinators_exact_count_of_participants_never_reaches_a_partner(
    client_as,
    places,  # noqa: F811
):
    wales, county, msoas = places
    AreaSummary.objects.create(area=county, participants=3, computed_at=timezone.now())
    participants = '<dt class="govuk-summary-list__key">Participants</dt>'
    exact = page(client_as(Role.COORDINATOR))
    assert f'{participants}<dd class="govuk-summary-list__value">3</dd>' in exact
    for role in (Role.PARTNER, Role.EVALUATOR, None):
        shown = page(client_as(role))
        assert f'{participants}<dd class="govuk-summary-list__value">&lt;5</dd>' in shown
