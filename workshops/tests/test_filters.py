"""The barrier layer's and list's filters and the action tracker's order
(workshops.filters) at their edges: the layer answers 400 with the field's error when a value
is not right; the pages say what is wrong and show what the right ones give."""

import json
from html import unescape

import pytest
from django.urls import reverse

from assets.models import Area, AreaLevel
from workshops.models import ActionStatus, Affects, BarrierKind, BarrierStatus
from workshops.tests.test_tracking import BOX, TOWNHILL, action, barrier

pytestmark = pytest.mark.django_db


def titles(client, **params) -> list[str]:
    response = client.get(reverse("workshops:barrier-layer"), params)
    assert response.status_code == 200, response.content
    return sorted(f["properties"]["title"] for f in json.loads(response.content)["features"])


def refused(client, **params) -> dict:
    response = client.get(reverse("workshops:barrier-layer"), params)
    assert response.status_code == 400
    return response.json()


def test_without_a_status_the_layer_shows_what_is_still_in_the_way(participant_client):
    barrier("Open", at=TOWNHILL)
    barrier("Tackled", at=TOWNHILL, status=BarrierStatus.ADDRESSED)
    barrier("Resolved", at=TOWNHILL, status=BarrierStatus.RESOLVED)
    assert titles(participant_client) == ["Open", "Tackled"]
    assert titles(participant_client, status="resolved") == ["Resolved"]
    assert titles(participant_client, status="addressed") == ["Tackled"]
    assert (
        "gone is not one of the available choices"
        in refused(participant_client, status="gone")["status"][0]
    )


def test_either_group_includes_barriers_affecting_both_and_both_only_those(participant_client):
    barrier("Both", at=TOWNHILL, affects=Affects.BOTH)
    barrier("Tenants", at=TOWNHILL, affects=Affects.TENANTS)
    barrier("Sanctuary", at=TOWNHILL, affects=Affects.SANCTUARY)
    assert titles(participant_client, affects="tenants") == ["Both", "Tenants"]
    assert titles(participant_client, affects="sanctuary") == ["Both", "Sanctuary"]
    assert titles(participant_client, affects="both") == ["Both"]
    assert "affects" in refused(participant_client, affects="everyone")


def test_kind_is_one_of_the_kinds(participant_client):
    barrier("Fares", at=TOWNHILL, kind=BarrierKind.COST)
    barrier("Buses", at=TOWNHILL, kind=BarrierKind.TRANSPORT)
    assert titles(participant_client, kind="cost") == ["Fares"]
    assert "kind" in refused(participant_client, kind="COST")


def test_area_is_an_lsoa_msoa_or_local_authority_by_its_code(participant_client):
    la = Area.objects.create(code="W06000011", name_en="Swansea", level=AreaLevel.LOCAL_AUTHORITY)
    msoa = Area.objects.create(code="W02000186", name_en="Swansea 019", level="msoa", parent=la)
    lsoa = Area.objects.create(code="W01000736", name_en="Swansea 028A", level="lsoa", parent=msoa)
    barrier("Placed", at=TOWNHILL, lsoa=lsoa, msoa=msoa, local_authority=la)
    barrier("Elsewhere", at=TOWNHILL)
    for code in ("W01000736", "W02000186", "W06000011"):
        assert titles(participant_client, area=code) == ["Placed"]
    assert refused(participant_client, area="W01000999")["area"] == [
        "No area has the code “W01000999”."
    ]


def test_the_box_and_the_other_filters_combine(participant_client):
    barrier("Fares here", at=TOWNHILL, kind=BarrierKind.COST)
    barrier("Fares far away", at=(53.2270, -4.1290), kind=BarrierKind.COST)
    assert titles(participant_client, bbox=BOX, kind="cost") == ["Fares here"]


def test_the_list_of_barriers_says_what_is_wrong_and_applies_the_rest(participant_client):
    barrier("Fares", kind=BarrierKind.COST)
    barrier("Buses", kind=BarrierKind.TRANSPORT)
    response = participant_client.get(
        reverse("workshops:common-ground"), {"kind": "cost", "affects": "nobody"}
    )
    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert 'href="#filter-affects">Select a valid choice. nobody is not one' in page
    listed = page.split('id="barriers"')[1]
    assert "Fares" in listed and "Buses" not in listed


@pytest.mark.parametrize(
    ("sort", "first"),
    [("due", "Print"), ("owner", "Print"), ("status", "Ask"), ("", "Print")],
)
def test_the_tracker_takes_each_order_it_offers(coordinator_client, sort, first):
    action("Ask the council", [barrier("Fares")], owner="Zoe", due_in_days=9)
    leaflet = action("Print a leaflet", [barrier("Letters")], owner="Amy", due_in_days=2)
    type(leaflet).objects.filter(pk=leaflet.pk).update(status=ActionStatus.IN_PROGRESS)
    response = coordinator_client.get(reverse("workshops:action-tracker"), {"sort": sort})
    page = response.content.decode()
    assert response.context["sort"] == (sort or "due")
    assert "There is a problem" not in page
    order = sorted(["Ask the council", "Print a leaflet"], key=page.index)
    assert order[0].startswith(first)
