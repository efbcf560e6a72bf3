"""The map list and common ground read little, however many assets there are: valued by both
comes from the endorsements, and a signed-in person's list joins nothing it does not need."""

import pytest
from django.urls import reverse

from assets.selectors import published_for, valued_by_both
from assets.services.assets import endorsement_set
from assets.tests.factories import AssetFactory
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
MAP = "/en/map/"
COMMON_GROUND = reverse("workshops:common-ground")
ROLES = ["coordinator", "facilitator", "participant", "evaluator", "partner"]


def bridging_names(client) -> list[str]:
    return [row["asset"].name for row in client.get(COMMON_GROUND).context["assets"]]


def valued(asset, cohort):
    endorsement_set(asset=asset, participant=ParticipantFactory(cohort=cohort), valued=True)


def test_an_endorsement_changes_valued_by_both(facilitator_client):
    pool, library = AssetFactory(name="Pool"), AssetFactory(name="Library")
    valued(pool, Cohort.TENANT)
    valued(library, Cohort.TENANT)
    valued(library, Cohort.REFUGEE)
    assert bridging_names(facilitator_client) == ["Library"]

    valued(pool, Cohort.ASYLUM_SEEKER)

    assert bridging_names(facilitator_client) == ["Library", "Pool"]


def test_valued_by_both_starts_from_the_endorsements(facilitator_client):
    AssetFactory(name="Valued by one group")
    with_both = AssetFactory(name="Valued by both")
    valued(with_both, Cohort.TENANT)
    valued(with_both, Cohort.REFUGEE)
    sql = str(valued_by_both(published_for(facilitator_client.user)).query)
    # The assets are cut to the endorsed ones by a subquery of endorsements, not grouped all.
    assert "IN (SELECT" in sql and "assets_assetendorsement" in sql.split("IN (SELECT")[1]
    assert bridging_names(facilitator_client) == ["Valued by both"]


def _queries(client, url, django_assert_max_num_queries, *, ceiling: int):
    with django_assert_max_num_queries(ceiling) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", [MAP, COMMON_GROUND])
def test_the_page_reads_as_many_queries_for_many_assets_as_for_few(
    client_as, role, url, django_assert_max_num_queries
):
    client = client_as(role)
    for n in range(3):
        asset = AssetFactory(name=f"Few {n}")
        valued(asset, Cohort.TENANT)
        valued(asset, Cohort.REFUGEE)
    few = _queries(client, url, django_assert_max_num_queries, ceiling=12)
    for n in range(40):
        asset = AssetFactory(name=f"Many {n}")
        valued(asset, Cohort.TENANT)
        valued(asset, Cohort.REFUGEE)
    many = _queries(client, url, django_assert_max_num_queries, ceiling=len(few))
    assert len(many) == len(few)


@pytest.mark.parametrize("role", ROLES)
def test_a_signed_in_persons_map_list_joins_no_participants(
    client_as, role, django_assert_max_num_queries
):
    client = client_as(role)
    for n in range(25):
        AssetFactory(name=f"Place {n:02}")
    queries = _queries(client, MAP, django_assert_max_num_queries, ceiling=12)
    asset_reads = [sql for sql in queries if 'FROM "assets_asset"' in sql]
    assert asset_reads  # the count and the page
    for sql in asset_reads:
        assert 'JOIN "participants_participant"' not in sql, sql
    page = client.get(MAP).content.decode()
    assert "Place 00" in page and "Place 19" in page and "Place 20" not in page
