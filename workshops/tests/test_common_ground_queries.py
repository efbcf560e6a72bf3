"""Common ground's assets valued by both groups come from the endorsements: an endorsement
shows at once, and the page reads as many queries for many assets as for few."""

import pytest
from django.urls import reverse

from assets.tests.factories import AssetFactory
from assets.tests.test_page_queries import ROLES, page_queries, valued
from participants.models import Cohort

pytestmark = pytest.mark.django_db
COMMON_GROUND = reverse("workshops:common-ground")


def bridging_names(client) -> list[str]:
    return [row["asset"].name for row in client.get(COMMON_GROUND).context["assets"]]


def test_an_endorsement_changes_valued_by_both(facilitator_client):
    pool, library = AssetFactory(name="Pool"), AssetFactory(name="Library")
    valued(pool, Cohort.TENANT)
    valued(library, Cohort.TENANT)
    valued(library, Cohort.REFUGEE)
    assert bridging_names(facilitator_client) == ["Library"]

    valued(pool, Cohort.ASYLUM_SEEKER)

    assert bridging_names(facilitator_client) == ["Library", "Pool"]


@pytest.mark.parametrize("role", ROLES)
def test_common_ground_reads_as_many_queries_for_many_assets_as_for_few(
    client_as, role, django_assert_max_num_queries
):
    client = client_as(role)
    for n in range(3):
        asset = AssetFactory(name=f"Few {n}")
        valued(asset, Cohort.TENANT)
        valued(asset, Cohort.REFUGEE)
    few = page_queries(client, COMMON_GROUND, django_assert_max_num_queries, ceiling=12)
    for n in range(40):
        asset = AssetFactory(name=f"Many {n}")
        valued(asset, Cohort.TENANT)
        valued(asset, Cohort.REFUGEE)
    many = page_queries(client, COMMON_GROUND, django_assert_max_num_queries, ceiling=len(few))
    assert len(many) == len(few)
