"""Content people read has a Welsh field where they would expect one — an asset's name and
description, a workshop's and a barrier's title — shown in the page's language, or in
English with lang="en" and a "yn Saesneg" tag when there is no Welsh."""

import pytest
from django.urls import reverse
from django.utils import translation

from assets.models import Asset, AssetCategory
from assets.tests.factories import AssetFactory
from workshops.models import Action, Barrier, Workshop
from workshops.tests.factories import BarrierFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

MARKED = (
    '<span lang="en">{}</span> '
    '<strong class="govuk-tag govuk-tag--grey app-in-other-language">yn Saesneg</strong>'
)


def page(client, language: str, name: str, *args) -> str:
    with translation.override(language):
        url = reverse(name, args=args)
    return client.get(url).content.decode()


@pytest.fixture
def facilitator(facilitator_client):
    return facilitator_client


def test_a_workshop_without_welsh_is_shown_in_english_marked_as_such(facilitator):
    workshop = WorkshopFactory(title="Getting about", facilitators=[facilitator.user])
    BarrierFactory(workshop=workshop, title="No buses after six")
    welsh = page(facilitator, "cy", "workshops:workshop-barrier", workshop.pk)
    assert f'<h1 class="govuk-heading-l">{MARKED.format("Getting about")}</h1>' in welsh
    assert f"<strong>{MARKED.format('No buses after six')}</strong>" in welsh
    english = page(facilitator, "en", "workshops:workshop-detail", workshop.pk)
    assert '<h1 class="govuk-heading-l">Getting about</h1>' in english
    assert "yn Saesneg" not in english and "in English" not in english


def test_a_workshop_and_barrier_with_welsh_show_it_on_welsh_pages(facilitator):
    workshop = WorkshopFactory(
        title="Getting about", title_cy="Mynd o le i le", facilitators=[facilitator.user]
    )
    BarrierFactory(
        workshop=workshop, title="No buses after six", title_cy="Dim bysiau ar ôl chwech"
    )
    welsh = page(facilitator, "cy", "workshops:workshop-barrier", workshop.pk)
    assert '<h1 class="govuk-heading-l">Mynd o le i le</h1>' in welsh
    assert "<strong>Dim bysiau ar ôl chwech</strong>" in welsh
    assert "yn Saesneg" not in welsh
    detail = page(facilitator, "cy", "workshops:workshop-detail", workshop.pk)
    assert "<title>Mynd o le i le" in detail
    listing = page(facilitator, "cy", "workshops:workshop-list")
    assert ">Mynd o le i le</a>" in listing
    english = page(facilitator, "en", "workshops:workshop-detail", workshop.pk)
    assert '<h1 class="govuk-heading-l">Getting about</h1>' in english


def test_workshop_and_barrier_forms_take_a_welsh_title(facilitator):
    data = {
        "title": "Getting about Townhill",
        "title_cy": "Mynd o gwmpas Townhill",
        "starts_at": "2026-03-14T10:00",
        "ends_at": "2026-03-14T12:30",
        "status": "planned",
    }
    facilitator.post(reverse("workshops:workshop-add"), data)
    workshop = Workshop.objects.get()
    assert (workshop.title, workshop.title_cy) == (
        "Getting about Townhill",
        "Mynd o gwmpas Townhill",
    )
    facilitator.post(
        reverse("workshops:workshop-barrier", args=[workshop.pk]),
        {"title": "No buses", "title_cy": "Dim bysiau", "kind": "transport", "affects": "both"},
    )
    assert Barrier.objects.values_list("title", "title_cy").get() == ("No buses", "Dim bysiau")
    form = page(facilitator, "cy", "workshops:workshop-edit", workshop.pk)
    assert "Teitl yn Gymraeg" in form and 'value="Mynd o gwmpas Townhill"' in form


def test_the_asset_form_takes_a_welsh_name_and_description_shown_on_welsh_pages(
    participant_client,
):
    form = page(participant_client, "cy", "assets:asset-add")
    assert "Enw yn Gymraeg" in form and "Beth sy&#x27;n dda amdano, yn Gymraeg" in form
    participant_client.post(
        reverse("assets:asset-add"),
        {
            "category": AssetCategory.objects.get(slug="food-support").pk,
            "name": "Mayhill Pantry",
            "name_cy": "Pantri Mayhill",
            "description": "Food on Tuesdays.",
            "description_cy": "Bwyd ar ddydd Mawrth.",
            "address": "Mayhill",
        },
    )
    asset = Asset.objects.get(name="Mayhill Pantry")
    assert (asset.name_cy, asset.description_cy) == ("Pantri Mayhill", "Bwyd ar ddydd Mawrth.")


def test_an_asset_page_marks_english_on_a_welsh_page(client):
    asset = AssetFactory(name="Townhill Library", description="Books and a warm room.")
    welsh = page(client, "cy", "assets:asset-detail", asset.pk)
    assert f'<h1 class="govuk-heading-l">{MARKED.format("Townhill Library")}</h1>' in welsh
    assert MARKED.format("Books and a warm room.") in welsh
    asset.name_cy, asset.description_cy = "Llyfrgell Townhill", "Llyfrau ac ystafell gynnes."
    asset.save()
    welsh = page(client, "cy", "assets:asset-detail", asset.pk)
    assert '<h1 class="govuk-heading-l">Llyfrgell Townhill</h1>' in welsh
    assert "Llyfrau ac ystafell gynnes." in welsh and "yn Saesneg" not in welsh


def test_an_action_takes_a_welsh_title_shown_on_welsh_pages(facilitator):
    workshop = WorkshopFactory(title="Getting about", facilitators=[facilitator.user])
    barrier = BarrierFactory(workshop=workshop, title="No buses after six")
    form = page(facilitator, "cy", "workshops:workshop-action", workshop.pk)
    assert "Yr un peth yn Gymraeg" in form
    facilitator.post(
        reverse("workshops:workshop-action", args=[workshop.pk]),
        {
            "action-title": "Ask for a later bus",
            "action-title_cy": "Gofyn am fws hwyrach",
            "action-barriers": [barrier.pk],
            "action-owner": "Housing association",
            "action-status": "agreed",
        },
    )
    action = Action.objects.get()
    assert (action.title, action.title_cy) == ("Ask for a later bus", "Gofyn am fws hwyrach")
    welsh = page(facilitator, "cy", "workshops:workshop-action", workshop.pk)
    assert "Gofyn am fws hwyrach" in welsh and "Ask for a later bus" not in welsh
    assert "Gofyn am fws hwyrach" in page(facilitator, "cy", "workshops:action-tracker")
    assert "Ask for a later bus" in page(facilitator, "en", "workshops:action-tracker")


def test_an_action_without_welsh_shows_its_english_marked_as_such(facilitator):
    workshop = WorkshopFactory(facilitators=[facilitator.user])
    action = Action.objects.create(
        workshop=workshop, site=workshop.site, title="Ask for a later bus", owner="Us"
    )
    action.barriers.add(BarrierFactory(workshop=workshop))
    welsh = page(facilitator, "cy", "workshops:action-tracker")
    assert MARKED.format("Ask for a later bus") in welsh
