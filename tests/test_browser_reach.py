"""Issue 13 points 3, 4, 7 and 9 in Chromium: the desktop menu fits one row at 1280 px for
every role in English and Welsh; the coordinator's home, the workshop's summary and parts, the
action tracker, the moderation review (its map and a duplicate side by side) and the footer's
pages read well at phone and desktop width in both languages, pass axe and do not scroll
sideways. Screenshots go to test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assets.models import AssetCategory, AssetStatus
from assets.tests.factories import TOWNHILL, AssetFactory
from core.models import Role
from participants.tests.factories import ParticipantFactory
from tests.browser import DESKTOP, PHONE, assert_accessible, assert_fits_width, screenshot, sign_in
from workshops.models import Action
from workshops.tests.factories import BarrierFactory, WorkshopFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MENU_ROWS = """() => {
    const items = [...document.querySelectorAll('.govuk-service-navigation__item')];
    const tops = new Set(items.map(item => Math.round(item.getBoundingClientRect().top)));
    const list = document.querySelector('.govuk-service-navigation__list');
    return {rows: tops.size, height: list.getBoundingClientRect().height,
            item: items[0].getBoundingClientRect().height, count: items.length};
}"""


@pytest.mark.parametrize("role", ["anonymous", *[role.value for role in Role]])
def test_the_desktop_menu_fits_one_row_for_every_role(new_page, make_user, role):
    page = new_page(DESKTOP)
    if role != "anonymous":
        user = make_user(role)
        if role == Role.PARTICIPANT:
            ParticipantFactory(user=user)
        sign_in(page, user.username)
    for language in ("en", "cy"):
        page.goto(f"/{language}/")
        menu = page.evaluate(MENU_ROWS)
        assert menu["rows"] == 1, f"{role} ({language}): {menu}"
        assert menu["height"] < 2 * menu["item"], f"{role} ({language}): {menu}"
        if role == Role.COORDINATOR:
            screenshot(page, f"reach-menu-coordinator-{language}-desktop")


def check(page, name: str) -> None:
    assert_fits_width(page)
    assert_accessible(page)
    screenshot(page, name)


@pytest.fixture
def coordinators_site(make_user):
    coordinator = make_user(Role.COORDINATOR, first_name="Carys")
    workshop = WorkshopFactory(title="Getting about Townhill", facilitators=[coordinator])
    barrier = BarrierFactory(workshop=workshop, title="No buses after six")
    BarrierFactory(workshop=workshop, title="Fares are too dear")
    library = AssetFactory(
        name="Townhill Library",
        opening_times="Mon–Fri 9–5",
        latitude=TOWNHILL[0] + 0.0005,
        longitude=TOWNHILL[1],
    )
    AssetFactory(name="Phoenix Centre", latitude=TOWNHILL[0] - 0.002, longitude=TOWNHILL[1])
    workshop.assets_identified.add(library)
    action = Action.objects.create(
        workshop=workshop,
        site=workshop.site,
        title="Ask the council for a later bus",
        owner="Gwen",
        due_on=timezone.localdate() - timedelta(days=2),
    )
    action.barriers.add(barrier)
    submission = AssetFactory(
        name="Townhill library",
        status=AssetStatus.SUBMITTED,
        category=AssetCategory.objects.get(slug="community-centre"),
        description="Books, computers and a warm place.",
        opening_times="Mon–Sat 9–5",
        cost="free",
        languages=["ar", "cy"],
        welcoming_to=["sanctuary", "families"],
    )
    return coordinator, workshop, submission


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_coordinators_pages_read_well(new_page, coordinators_site, language, size, viewport):
    coordinator, workshop, submission = coordinators_site
    page = new_page(viewport)
    sign_in(page, coordinator.username, language=language)
    pages = {
        "home": f"/{language}/",
        "workshop-summary": f"/{language}/workshops/{workshop.pk}/",
        "workshop-barriers": f"/{language}/workshops/{workshop.pk}/barriers/",
        "workshop-actions": f"/{language}/workshops/{workshop.pk}/actions/",
        "action-tracker": f"/{language}/actions/",
        "moderation-review": f"/{language}/moderation/{submission.pk}/",
    }
    for name, url in pages.items():
        page.goto(url)
        if name == "moderation-review":
            page.locator("#review-map .leaflet-marker-icon").wait_for()
            # the submission's pin, and a dot for each of the two published assets nearby
            assert page.locator("#review-map .leaflet-marker-icon").count() == 1
            assert page.locator("#review-map path.leaflet-interactive").count() == 2
        check(page, f"reach-{name}-{language}-{size}")


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_footer_pages_read_well(new_page, language, size, viewport):
    page = new_page(viewport)
    for name in ("privacy", "accessibility", "contact"):
        page.goto(f"/{language}/")
        page.locator("footer").get_by_role("link").filter(
            has_text={
                "privacy": {"en": "Privacy notice", "cy": "Hysbysiad preifatrwydd"},
                "accessibility": {"en": "Accessibility statement", "cy": "Datganiad hygyrchedd"},
                "contact": {"en": "Contact us", "cy": "Cysylltu â ni"},
            }[name][language]
        ).click()
        page.wait_for_url(f"**/{language}/{name}/")
        check(page, f"reach-{name}-{language}-{size}")


def test_publishing_asks_whether_it_could_be_a_home(page, coordinators_site):
    coordinator, _workshop, submission = coordinators_site
    sign_in(page, coordinator.username)
    page.goto(f"/en/moderation/{submission.pk}/")
    page.get_by_role("button", name="Publish", exact=True).click()
    summary = page.locator(".govuk-error-summary")
    assert "Say whether this could be someone's home" in summary.inner_text()
    assert_accessible(page)
    page.get_by_label("No: it is a public place, a group's venue or a service").check()
    page.get_by_role("button", name="Publish", exact=True).click()
    assert "Published “Townhill library”" in page.locator(".govuk-notification-banner").inner_text()
