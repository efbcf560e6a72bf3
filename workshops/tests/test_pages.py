"""The workshop in short pages (issue 13 point 7): a summary with how much each part holds and
the report, a page per part (register, assets, barriers, actions, report) linked as tabs that
work without JavaScript, each form back on its own page; and the action tracker linking each
action to its workshop and its barriers."""

import html
import re

import pytest
from django.urls import reverse

from assets.tests.factories import AssetFactory
from workshops.models import Action
from workshops.tests.factories import BarrierFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

PARTS = [
    ("workshops:workshop-detail", "Summary"),
    ("workshops:workshop-register", "Who came"),
    ("workshops:workshop-asset", "Assets"),
    ("workshops:workshop-barrier", "Barriers"),
    ("workshops:workshop-action", "Actions"),
    ("workshops:workshop-report", "Report"),
]


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def held(facilitator_client):
    workshop = WorkshopFactory(title="Getting about", facilitators=[facilitator_client.user])
    barrier = BarrierFactory(workshop=workshop, title="Buses stop at six")
    BarrierFactory(workshop=workshop, title="Fares are too dear")
    asset = AssetFactory(name="Townhill Library")
    workshop.assets_identified.add(asset)
    action = Action.objects.create(
        workshop=workshop, site=workshop.site, title="Ask for a later bus", owner="Gwen"
    )
    action.barriers.add(barrier)
    return facilitator_client, workshop, barrier, action


@pytest.mark.parametrize(("name", "label"), PARTS)
def test_every_page_of_the_workshop_has_the_tabs_with_itself_marked(held, name, label):
    client, workshop, *_ = held
    page = text(client.get(reverse(name, args=[workshop.pk])))
    nav = page[
        page.index('<nav class="app-subnav"') : page.index("</nav>", page.index("app-subnav"))
    ]
    for other, other_label in PARTS:
        url = reverse(other, args=[workshop.pk])
        current = ' aria-current="page"' if other == name else ""
        assert f'href="{url}"{current}>{other_label}</a>' in nav, other
    assert nav.count("aria-current") == 1


def test_the_summary_is_short_and_counts_each_part(held):
    client, workshop, *_ = held
    page = text(client.get(reverse("workshops:workshop-detail", args=[workshop.pk])))
    assert re.search(r'id="asset-count">1<', page)
    assert re.search(r'id="barrier-count">2<', page)
    assert re.search(r'id="action-count">1<', page)
    # the parts are on their own pages: no form and no list of barriers here
    assert "<form" not in page[page.index("<main") : page.index("</main>")]
    assert "Buses stop at six" not in page
    report = reverse("workshops:workshop-report", args=[workshop.pk])
    for link in (report, f"{report}?format=pdf", f"{report}?format=csv"):
        assert f'href="{link}"' in page


def test_each_part_shows_its_own_rows_and_form(held):
    client, workshop, *_ = held
    assets = text(client.get(reverse("workshops:workshop-asset", args=[workshop.pk])))
    assert "Townhill Library" in assets and "Link this asset" in assets
    assert "Record this barrier" not in assets
    barriers = text(client.get(reverse("workshops:workshop-barrier", args=[workshop.pk])))
    assert "Buses stop at six" in barriers and "Record this barrier" in barriers
    assert "point-picker-config" in barriers
    actions = text(client.get(reverse("workshops:workshop-action", args=[workshop.pk])))
    assert "Ask for a later bus" in actions and "Record this action" in actions
    assert reverse("workshops:action-tracker") in actions


def test_an_action_names_its_barriers_as_links_to_them(held):
    client, workshop, barrier, _action = held
    page = text(client.get(reverse("workshops:workshop-action", args=[workshop.pk])))
    url = reverse("workshops:workshop-barrier", args=[workshop.pk]) + f"#barrier-{barrier.pk}"
    assert f'href="{url}">Buses stop at six</a>' in page


def test_a_form_that_worked_comes_back_to_its_own_page(held):
    client, workshop, barrier, _action = held
    response = client.post(
        reverse("workshops:workshop-barrier", args=[workshop.pk]),
        {"title": "No childcare", "kind": "childcare", "affects": "both"},
    )
    assert response["Location"] == reverse("workshops:workshop-barrier", args=[workshop.pk])
    vote = client.post(reverse("workshops:barrier-vote", args=[barrier.pk]))
    assert vote["Location"] == (
        reverse("workshops:workshop-barrier", args=[workshop.pk]) + f"#barrier-{barrier.pk}"
    )


def test_a_form_with_errors_comes_back_on_its_own_page_with_them(held):
    client, workshop, *_ = held
    response = client.post(
        reverse("workshops:workshop-action", args=[workshop.pk]), {"action-title": ""}
    )
    page = text(response)
    assert response.status_code == 200 and "<title>Error:" in page
    assert "Record this action" in page and "Record this barrier" not in page
    assert 'aria-current="page">Actions</a>' in page


def test_the_tracker_links_each_action_to_its_workshop_and_its_barriers(held):
    client, workshop, barrier, action = held
    loose = BarrierFactory(workshop=None, title="No interpreters at the GP")
    action.barriers.add(loose)
    page = text(client.get(reverse("workshops:action-tracker")))
    card = page[page.index(f'id="action-{action.pk}"') :]
    workshop_url = reverse("workshops:workshop-detail", args=[workshop.pk])
    assert f'href="{workshop_url}">Getting about</a>' in card
    barrier_url = reverse("workshops:workshop-barrier", args=[workshop.pk])
    assert f'href="{barrier_url}#barrier-{barrier.pk}">Buses stop at six</a>' in card
    common = reverse("workshops:common-ground")
    assert f'href="{common}#barrier-{loose.pk}">No interpreters at the GP</a>' in card


def test_the_tracker_still_takes_a_fixed_number_of_queries(held, django_assert_max_num_queries):
    client, workshop, barrier, _action = held
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("workshops:action-tracker"))
    for number in range(5):
        more = Action.objects.create(
            workshop=workshop, site=workshop.site, title=f"More {number}", owner="Gwen"
        )
        more.barriers.add(barrier)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("workshops:action-tracker"))
