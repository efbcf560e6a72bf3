"""Every page is reachable by following links (issue 13 point 3): from the home page, as each
role, a crawl that only follows links reaches every main page of that role, including the
workshop's report (page, CSV, PDF) and the asset imports and exports. The coordinator's home
counts what needs action in their own sites, and every card on it is a link. The footer's
pages (accessibility statement, privacy notice, contact) are public, in both languages."""

import html
import re
from collections import deque
from datetime import timedelta
from urllib.parse import urljoin, urlparse

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from assets.models import AssetStatus
from assets.tests.factories import AssetFactory
from core.models import Role
from core.tests.factories import SiteFactory
from participants.tests.factories import ParticipantFactory
from workshops.models import Action
from workshops.tests.factories import BarrierFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

MAX_PAGES = 400
PER_KIND = 3  # pages of one URL pattern read (every asset page is one kind)
SKIP = ("/admin/", "/static/", "/sign-out/", "/api/")


def hrefs(page: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'<a [^>]*href="([^"#]*)', page):
        parsed = urlparse(urljoin(base, html.unescape(href)))
        if parsed.scheme in ("", "http") and parsed.netloc in ("", "testserver"):
            found.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return found


def crawl(client, start: str = "/en/") -> set[str]:
    """Every address reachable from `start` by following links (each read once, downloads
    noted but not read), staying in one language."""
    seen, queue, kinds = {start}, deque([start]), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        path = urlparse(url).path
        kind = re.sub(r"\d+", "N", path)
        kinds[kind] = kinds.get(kind, 0) + 1
        if "format=" in url or kinds[kind] > PER_KIND:
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in hrefs(response.content.decode(), url):
            inside = link.startswith(start) and not any(skip in link for skip in SKIP)
            if inside and link not in seen:
                seen.add(link)
                queue.append(link)
    return seen


@pytest.fixture
def world(make_user):
    """A site with a bit of everything: a workshop the facilitator runs, with a barrier and an
    action; a submission waiting; a published asset; a participant with a sign-in."""
    facilitator = make_user(Role.FACILITATOR)
    workshop = WorkshopFactory(title="Getting about", facilitators=[facilitator])
    barrier = BarrierFactory(workshop=workshop, title="Buses stop at six")
    action = Action.objects.create(
        workshop=workshop, site=workshop.site, title="Ask for a later bus", owner="Gwen"
    )
    action.barriers.add(barrier)
    submitted = AssetFactory(name="New café", status=AssetStatus.SUBMITTED)
    participant = make_user(Role.PARTICIPANT)
    ParticipantFactory(user=participant)
    return {
        "facilitator": facilitator,
        "participant": participant,
        "workshop": workshop,
        "submitted": submitted,
    }


def main_pages(role: str, world) -> list[str]:
    """The pages each role must be able to reach from its home page."""
    workshop = world["workshop"].pk
    footer = ["core:accessibility", "core:privacy", "core:contact"]
    common = ["core:home", "assets:asset-map", *footer]
    with translation.override("en"):
        pages = {
            "anonymous": [*common, "core:sign-in", "indicators:area-list", "toolkit:section-list"],
            "participant": [
                *common,
                "participants:me",
                "assets:asset-mine",
                "assets:asset-add",
                "workshops:common-ground",
                "core:password-change",
            ],
            "facilitator": [
                *common,
                "workshops:workshop-list",
                "workshops:action-tracker",
                "workshops:common-ground",
                "assets:asset-add",
                ("workshops:workshop-detail", workshop),
                ("workshops:workshop-register", workshop),
                ("workshops:workshop-asset", workshop),
                ("workshops:workshop-barrier", workshop),
                ("workshops:workshop-action", workshop),
                ("workshops:workshop-report", workshop),
            ],
            "coordinator": [
                *common,
                "assets:moderation",
                "assets:moderation-recheck",
                ("assets:moderation-review", world["submitted"].pk),
                "assets:asset-import-new",
                "assets:asset-exports",
                "assets:category-list",
                "workshops:workshop-list",
                "workshops:action-tracker",
                "workshops:common-ground",
                ("workshops:workshop-detail", workshop),
                ("workshops:workshop-asset", workshop),
                ("workshops:workshop-barrier", workshop),
                ("workshops:workshop-action", workshop),
                ("workshops:workshop-report", workshop),
                "participants:participant-list",
                "participants:participant-register",
                "indicators:evaluation-report",
                "core:account-list",
                "core:organisation-list",
                "toolkit:section-list",
                "toolkit:export-list",
                "indicators:area-list",
                "core:password-change",
            ],
            "evaluator": [
                *common,
                "participants:participant-list",
                "participants:evaluation",
                "indicators:evaluation-report",
                "indicators:area-list",
                "workshops:common-ground",
            ],
            "partner": [
                *common,
                "core:partner-keys",
                "toolkit:section-list",
                "indicators:area-list",
                "workshops:common-ground",
            ],
        }[role]
        return [reverse(p) if isinstance(p, str) else reverse(p[0], args=[p[1]]) for p in pages]


@pytest.mark.parametrize("role", ["anonymous", *[role.value for role in Role]])
def test_every_main_page_is_reached_from_home_by_following_links(client_as, world, role):
    if role == "facilitator":
        client = client_as(None)
        client.force_login(world["facilitator"])
    elif role == "participant":
        client = client_as(None)
        client.force_login(world["participant"])
    else:
        client = client_as(None if role == "anonymous" else role)
    reached = crawl(client)
    missing = [url for url in main_pages(role, world) if url not in reached]
    assert not missing, f"{role} cannot reach {missing} by following links"


def test_the_workshop_report_downloads_are_linked_from_the_workshop_page(coordinator_client):
    workshop = WorkshopFactory()
    report = reverse("workshops:workshop-report", args=[workshop.pk])
    page = coordinator_client.get(reverse("workshops:workshop-detail", args=[workshop.pk]))
    links = hrefs(page.content.decode(), "/en/")
    assert {report, f"{report}?format=csv", f"{report}?format=pdf"} <= set(links)
    csv = coordinator_client.get(f"{report}?format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")


def test_imports_and_exports_are_linked_from_moderation(coordinator_client):
    page = coordinator_client.get(reverse("assets:moderation")).content.decode()
    links = hrefs(page, "/en/")
    assert reverse("assets:asset-import-new") in links and reverse("assets:asset-exports") in links


# --- The coordinator's home ------------------------------------------------------------------


@pytest.fixture
def to_do(make_user):
    """What needs action in the coordinator's site, and the same again in another site."""
    coordinator = make_user(Role.COORDINATOR)
    elsewhere = SiteFactory(slug="elsewhere")
    today = timezone.localdate()
    for site in (None, elsewhere):
        extra = {"site": site} if site else {}
        AssetFactory.create_batch(2, status=AssetStatus.SUBMITTED, **extra)
        AssetFactory(last_verified_on=today - timedelta(days=366), **extra)
        workshop = WorkshopFactory(**extra)
        for due, status in (
            (today - timedelta(days=1), "agreed"),  # overdue
            (today - timedelta(days=3), "in_progress"),  # overdue
            (today, "agreed"),  # due today: not overdue yet
            (today - timedelta(days=5), "done"),  # finished
        ):
            Action.objects.create(
                workshop=workshop,
                site=workshop.site,
                title="A",
                owner="Gwen",
                due_on=due,
                status=status,
            )
    AssetFactory(last_verified_on=today - timedelta(days=364))  # checked within the year
    return coordinator


def cards(page: str) -> dict[str, str]:
    found = re.findall(r'<li class="app-card">(.*?)</li>', page, re.S)
    return {re.search(r'href="[^"]*">([^<]+)</a>', card).group(1): card for card in found}


def test_the_coordinators_home_counts_what_needs_action_in_their_sites_only(client, to_do):
    client.force_login(to_do)
    page = html.unescape(client.get("/en/").content.decode())
    by_title = cards(page)
    count = re.compile(r'<strong class="govuk-tag[^"]*">(\d+)</strong> ([^<]+)</p>')
    assert count.search(by_title["Check new assets"]).groups() == ("2", "waiting")
    assert count.search(by_title["Re-check assets"]).groups() == ("1", "due to be re-checked")
    assert count.search(by_title["Action tracker"]).groups() == ("2", "overdue")
    needs = page[page.index('id="needs-action"') : page.index("What you can do")]
    assert "<strong>2</strong> waiting: Check new assets" in needs
    assert "<strong>1</strong> due to be re-checked: Re-check assets" in needs
    assert "<strong>2</strong> overdue: Action tracker" in needs


def test_nothing_to_do_shows_no_needs_action_box(coordinator_client):
    page = coordinator_client.get("/en/").content.decode()
    assert 'id="needs-action"' not in page
    assert re.search(r'govuk-tag--grey">0</strong> waiting', page)


def test_the_home_counts_take_a_fixed_number_of_queries(
    client, to_do, django_assert_max_num_queries
):
    client.force_login(to_do)
    with django_assert_max_num_queries(25) as few:
        client.get("/en/")
    AssetFactory.create_batch(5, status=AssetStatus.SUBMITTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/en/")


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_every_card_on_the_home_page_is_one_link_to_a_page_that_opens(client_as, role):
    client = client_as(role)
    if role == Role.PARTICIPANT:
        ParticipantFactory(user=client.user)  # their own page needs their record
    page = client.get("/en/").content.decode()
    found = re.findall(r'<li class="app-card">(.*?)</li>', page, re.S)
    assert found, f"no cards for {role}"
    for card in found:
        links = re.findall(r'<a class="govuk-link app-card__link" href="([^"]+)"', card)
        assert len(links) == 1 and card.count("<a ") == 1, card
        assert client.get(links[0]).status_code == 200, links[0]


# --- The footer's pages ----------------------------------------------------------------------

FOOTER = {
    "core:accessibility": ("Accessibility statement", "Datganiad hygyrchedd"),
    "core:privacy": ("Privacy notice", "Hysbysiad preifatrwydd"),
    "core:contact": ("Contact us", "Cysylltu â ni"),
}


@pytest.mark.parametrize("role", [None, Role.PARTICIPANT, Role.PARTNER])
def test_every_page_has_the_footer_links_in_both_languages(client_as, role):
    client = client_as(role)
    for language, index in (("en", 0), ("cy", 1)):
        page = html.unescape(client.get(f"/{language}/map/").content.decode())
        footer = page[page.index('<footer class="govuk-footer">') :]
        for name, titles in FOOTER.items():
            with translation.override(language):
                url = reverse(name)
            assert f'href="{url}">{titles[index]}</a>' in footer


@pytest.mark.parametrize("name", list(FOOTER))
def test_the_footer_pages_are_public_and_in_welsh(client, name):
    english = html.unescape(client.get(reverse(name)).content.decode())
    with translation.override("cy"):
        url = reverse(name)
    welsh = html.unescape(client.get(url).content.decode())
    assert f'<h1 class="govuk-heading-xl">{FOOTER[name][0]}</h1>' in english
    assert f'<h1 class="govuk-heading-xl">{FOOTER[name][1]}</h1>' in welsh
    assert 'lang="cy"' in welsh


def test_the_privacy_notice_says_what_is_held_why_who_sees_it_how_long_and_how_to_stop(client):
    page = html.unescape(client.get(reverse("core:privacy")).content.decode())
    for heading in (
        "What we hold about you",
        "Why",
        "Who sees it",
        "How long we keep it",
        "How to stop taking part",
        "Your rights",
        "Contact",
    ):
        assert f">{heading}</h2>" in page, heading
    assert "only the project's coordinators can open them" in page
    assert "fewer than 5 people is hidden" in page
    assert "after 30 minutes without using the site" in page
    welsh = html.unescape(client.get("/cy/privacy/").content.decode())
    assert ">Pwy sy'n ei gweld</h2>" in welsh and "Swyddfa Gartref" in welsh


@override_settings(
    CONTACT_ORGANISATION="Swansea CVS",
    CONTACT_EMAIL="cymuned@example.org",
    CONTACT_PHONE="01792 000000",
)
def test_the_contact_details_come_from_the_settings(client):
    for name in FOOTER:
        page = html.unescape(client.get(reverse(name)).content.decode())
        assert 'href="mailto:cymuned@example.org"' in page and "01792 000000" in page, name
    privacy = html.unescape(client.get(reverse("core:privacy")).content.decode())
    assert "Swansea CVS runs this site and is responsible for your information" in privacy


def test_without_contact_details_people_are_told_to_ask_their_coordinator(client):
    page = html.unescape(client.get(reverse("core:contact")).content.decode())
    assert "Ask the coordinator of the project where you take part" in page
    assert "mailto:" not in page


# --- The menu --------------------------------------------------------------------------------

MENUS = {
    "anonymous": ["Home", "Map", "Sign in"],
    Role.PARTICIPANT: ["Home", "Map", "My page", "My additions", "Common ground", "Sign out"],
    Role.FACILITATOR: ["Home", "Map", "My additions", "Workshops", "Common ground", "Sign out"],
    Role.COORDINATOR: ["Home", "Map", "Moderation", "Workshops", "Participants", "Sign out"],
    Role.EVALUATOR: ["Home", "Map", "Common ground", "Participants", "Evaluation", "Sign out"],
    Role.PARTNER: ["Home", "Map", "Common ground", "Sign out"],
}


def menu(page: str) -> list[str]:
    nav = page[page.index('id="navigation"') : page.index("</ul>", page.index('id="navigation"'))]
    return re.findall(
        r'class="(?:govuk-service-navigation__link|app-link-button[^"]*)"[^>]*>([^<]+)<', nav
    )


@pytest.mark.parametrize("role", list(MENUS))
def test_the_menu_keeps_a_few_items_per_role(client_as, role):
    client = client_as(None if role == "anonymous" else role)
    assert menu(client.get("/en/").content.decode()) == MENUS[role]


def test_the_menu_marks_the_page_and_the_section_it_is_in(coordinator_client):
    workshop = WorkshopFactory()
    home = coordinator_client.get("/en/").content.decode()
    assert 'href="/en/" aria-current="page">Home<' in home
    page = coordinator_client.get(reverse("workshops:workshop-barrier", args=[workshop.pk]))
    nav = page.content.decode()
    assert 'href="/en/workshops/" aria-current="true">Workshops<' in nav
    assert 'href="/en/" aria-current' not in nav
