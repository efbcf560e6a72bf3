"""Pages composed from every app through core.registry: the home page's cards, a
participant's own page and download, and the asset map's layers (docs/architecture.md)."""

import json

import pytest
from django.urls import reverse

from assets.models import AssetStatus
from assets.tests.factories import AssetFactory
from core import registry
from core.models import Role
from participants.tests.factories import ParticipantFactory
from workshops.models import Attendance
from workshops.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

CARDS = {
    Role.COORDINATOR: [
        ("Issue sign-ins", "core:account-list"),
        ("Partner organisations and API keys", "core:organisation-list"),
        ("Participants and consent", "participants:participant-list"),
        ("Check new assets", "assets:moderation"),
        ("Re-check assets", "assets:moderation-recheck"),
        ("Import assets", "assets:asset-import-new"),
        ("Export the directory", "assets:asset-exports"),
        ("Asset categories", "assets:category-list"),
        ("Workshops", "workshops:workshop-list"),
        ("Action tracker", "workshops:action-tracker"),
        ("Common ground", "workshops:common-ground"),
        ("Evaluation report", "indicators:evaluation-report"),
        ("Area profiles", "indicators:area-list"),
        ("Toolkit for service providers", "toolkit:section-list"),
        ("Toolkit export", "toolkit:export-list"),
    ],
    Role.FACILITATOR: [
        ("Log your workshops", "workshops:workshop-list"),
        ("Action tracker", "workshops:action-tracker"),
        ("Add to the map for someone", "assets:asset-add"),
    ],
    Role.PARTICIPANT: [
        ("Add what is good here", "assets:asset-add"),
        ("Your information", "participants:me"),
        ("Change your passphrase", "core:password-change"),
    ],
    Role.EVALUATOR: [
        ("Pseudonymised downloads", "participants:evaluation"),
        ("Evaluation report", "indicators:evaluation-report"),
        ("Area profiles", "indicators:area-list"),
    ],
    Role.PARTNER: [
        ("Your organisation&#x27;s API keys", "core:partner-keys"),
        ("Area profiles", "indicators:area-list"),
        ("Toolkit for service providers", "toolkit:section-list"),
    ],
}


@pytest.mark.parametrize("role", list(CARDS))
def test_each_role_sees_the_cards_every_app_registered_as_links_in_order(client_as, role):
    page = client_as(role).get(reverse("core:home")).content.decode()
    page = page[page.index("What you can do") :]  # the cards, not the menu or what needs action
    positions = []
    for title, url_name in CARDS[role]:
        link = f'<a class="govuk-link app-card__link" href="{reverse(url_name)}'
        assert f"{link}" in page and f">{title}</a>" in page
        positions.append(page.index(f">{title}</a>"))
    assert positions == sorted(positions)
    assert page.count('class="app-card"') == len(CARDS[role])


def test_the_moderation_card_counts_what_is_waiting(coordinator_client):
    AssetFactory.create_batch(3, status=AssetStatus.SUBMITTED)
    AssetFactory(status=AssetStatus.PUBLISHED)
    page = coordinator_client.get(reverse("core:home")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--orange">3</strong> waiting' in page


def test_a_card_registered_by_a_higher_app_appears_without_core_naming_it(client_as):
    saved = registry.snapshot()
    registry.register(
        registry.Card(
            app="toolkit",
            name="toolkit",
            role=Role.PARTNER,
            title="The toolkit",
            text="What the programme learned.",
            url_name="assets:asset-map",
            count=lambda user: 7,
            count_label="sections",
        )
    )
    try:
        page = client_as(Role.PARTNER).get(reverse("core:home")).content.decode()
    finally:
        registry.restore(saved)
    assert f'href="{reverse("assets:asset-map")}">The toolkit</a>' in page
    assert '<strong class="govuk-tag govuk-tag--orange">7</strong> sections' in page


@pytest.fixture
def me(make_user):
    user = make_user(Role.PARTICIPANT)
    participant = ParticipantFactory(user=user)
    AssetFactory(name="Tuesday Conversation Club", on_behalf_of=participant)
    Attendance.objects.create(
        workshop=WorkshopFactory(title="Mapping day"), participant=participant
    )
    return user


def test_my_page_shows_the_sections_of_assets_and_workshops(client, me):
    client.force_login(me)
    page = client.get(reverse("participants:me")).content.decode()
    assert "What I have added" in page and ">Tuesday Conversation Club</a>" in page
    assert "Workshops I came to" in page and "Mapping day" in page
    assert page.index("What I have added") < page.index("Workshops I came to")


def test_my_data_download_has_every_apps_section(client, me, django_assert_max_num_queries):
    client.force_login(me)
    with django_assert_max_num_queries(20):
        data = json.loads(client.get(reverse("participants:my-data")).content)
    assert [a["name"] for a in data["assets_added"]] == ["Tuesday Conversation Club"]
    assert data["assets_valued"] == []
    assert [w["title"] for w in data["workshops_attended"]] == ["Mapping day"]
    assert list(data)[-1] == "notices"


def test_the_map_loads_the_barrier_layer_only_for_people_with_a_role(client, participant_client):
    script = 'src="/static/js/barrier-layer.js" data-options-url="'
    options = reverse("workshops:barrier-layer-options")
    page = participant_client.get(reverse("assets:asset-map")).content.decode()
    assert f'{script}{options}"' in page
    assert "barrier-layer.js" not in client.get(reverse("assets:asset-map")).content.decode()
