"""The map list reads little, however many assets there are, and a signed-in person's list
joins nothing it does not need; valued by both starts from the endorsements."""

import pytest
from django.urls import reverse

from assets.models import AssetStatus
from assets.selectors import published_for, valued_by_both
from assets.services.assets import endorsement_set
from assets.tests.factories import AssetFactory
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
MAP = "/en/map/"
ROLES = ["coordinator", "facilitator", "participant", "evaluator", "partner"]


def valued(asset, cohort):
    endorsement_set(asset=asset, participant=ParticipantFactory(cohort=cohort), valued=True)


def test_valued_by_both_starts_from_the_endorsements(facilitator_client):
    AssetFactory(name="Valued by one group")
    with_both = AssetFactory(name="Valued by both")
    valued(with_both, Cohort.TENANT)
    valued(with_both, Cohort.REFUGEE)

    both = valued_by_both(published_for(facilitator_client.user))

    sql = str(both.query)
    # The assets are cut to the endorsed ones by a subquery of endorsements, not grouped all.
    assert "IN (SELECT" in sql and "assets_assetendorsement" in sql.split("IN (SELECT")[1]
    assert [asset.name for asset in both] == ["Valued by both"]
    assert (both[0].tenant_endorsements, both[0].sanctuary_endorsements) == (1, 1)


def page_queries(client, url, django_assert_max_num_queries, *, ceiling: int) -> list[str]:
    with django_assert_max_num_queries(ceiling) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_the_map_page_reads_as_many_queries_for_many_assets_as_for_few(
    client_as, role, django_assert_max_num_queries
):
    client = client_as(role)
    for n in range(3):
        AssetFactory(name=f"Few {n}")
    client.get(MAP)  # the areas' outlines for the base map are read once, then cached
    few = page_queries(client, MAP, django_assert_max_num_queries, ceiling=12)
    for n in range(40):
        AssetFactory(name=f"Many {n}")
    many = page_queries(client, MAP, django_assert_max_num_queries, ceiling=len(few))
    assert len(many) == len(few)


@pytest.mark.parametrize("role", ROLES)
def test_a_signed_in_persons_map_list_joins_no_participants(
    client_as, role, django_assert_max_num_queries
):
    client = client_as(role)
    for n in range(25):
        AssetFactory(name=f"Place {n:02}")
    queries = page_queries(client, MAP, django_assert_max_num_queries, ceiling=12)
    asset_reads = [sql for sql in queries if 'FROM "assets_asset"' in sql]
    assert asset_reads  # the count and the page
    for sql in asset_reads:
        assert 'JOIN "participants_participant"' not in sql, sql
    page = client.get(MAP).content.decode()
    assert "Place 00" in page and "Place 19" in page and "Place 20" not in page


def test_the_moderation_queue_reads_as_many_queries_for_many_submissions_as_for_few(
    coordinator_client, django_assert_max_num_queries
):
    queue = reverse("assets:moderation")
    volunteer = ParticipantFactory()
    for n in range(2):
        AssetFactory(name=f"Few {n}", status=AssetStatus.SUBMITTED, on_behalf_of=volunteer)
    few = page_queries(coordinator_client, queue, django_assert_max_num_queries, ceiling=12)
    for n in range(30):
        AssetFactory(name=f"Many {n}", status=AssetStatus.SUBMITTED, latitude=None)
    many = page_queries(coordinator_client, queue, django_assert_max_num_queries, ceiling=len(few))

    page = coordinator_client.get(queue).content.decode()
    assert len(many) == len(few)
    assert "Few 0" in page and "Many 29" in page and volunteer.code in page
    assert "Needs a place on the map" in page
