"""The pages kept per data version (core.pagecache) cost, once kept, one query of their own:
the data's versions and what the page depends on about the person (their sites, a
data-access agreement), read together. What is read that way still shows on the next
request: a site taken away, an agreement granted or ended, a section edited in the admin,
an area gone; and what is kept for one group of people never reaches another."""

import re

import pytest
from django.urls import reverse

from assets.models import Area
from core.models import Role
from core.tests.factories import SiteFactory
from indicators.tests.test_profile import places, value  # noqa: F401
from participants import services
from participants.tests.test_networks import contact, name, taking_part
from toolkit.models import ToolkitSection

pytestmark = pytest.mark.django_db

PROFILE = "/en/areas/W06000011/"
KEPT_PAGES = [
    ("workshops:common-ground", Role.FACILITATOR),
    ("workshops:workshop-list", Role.FACILITATOR),
    ("participants:evaluation-network", Role.EVALUATOR),
    ("participants:evaluation", Role.EVALUATOR),
    ("indicators:evaluation-report", Role.COORDINATOR),
    ("toolkit:section-list", Role.COORDINATOR),
    (PROFILE, Role.PARTNER),
]


@pytest.mark.usefixtures("places")
@pytest.mark.parametrize(("page", "role"), KEPT_PAGES)
def test_a_kept_page_reads_only_the_session_the_person_and_its_versions(
    page, role, client_as, django_assert_num_queries
):
    client = client_as(role)
    url = page if page.startswith("/") else reverse(page)
    first = client.get(url)
    assert first.status_code == 200

    with django_assert_num_queries(3) as captured:  # the session, the person, the page's own
        again = client.get(url)

    assert _steady(again) == _steady(first)
    assert "core_dataversion" in captured.captured_queries[-1]["sql"]


def _steady(response) -> str:
    """The page but what is new in every response: its CSRF token and CSP nonce."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'nonce="[^"]+"', "", page)


def _ties_shown(client, url: str) -> str:
    return " ".join(re.findall(r"Ties between participants: \w+", client.get(url).content.decode()))


@pytest.mark.parametrize(
    "page", ["participants:evaluation-network", "indicators:evaluation-report"]
)
def test_a_site_taken_away_hides_its_participants_on_the_next_request(
    page, client_as, django_capture_on_commit_callbacks
):
    here, there = SiteFactory(), SiteFactory()
    client = client_as(Role.COORDINATOR, sites=[here, there])
    a, b = taking_part(cohort="tenant", site=there), taking_part(cohort="tenant", site=there)
    with django_capture_on_commit_callbacks(execute=True):
        name(a, contact("tenant", alter=b))
    assert "Ties between participants: 1" in _ties_shown(client, reverse(page))

    client.user.sites.set([here])  # as the accounts page or the admin changes them

    assert "Ties between participants: 1" not in _ties_shown(client, reverse(page))
    client.user.sites.add(there)
    assert "Ties between participants: 1" in _ties_shown(client, reverse(page))


def test_a_data_access_agreement_granted_or_ended_shows_on_the_next_request(
    evaluator_client, make_user
):
    coordinator = make_user(Role.COORDINATOR)
    summary = reverse("participants:evaluation")

    def dataset_link() -> str:
        page = evaluator_client.get(summary).content.decode()
        return re.search(r"(\w+) outcome dataset \(CSV\)", page).group(1)

    assert dataset_link() == "Coarsened"
    agreement = services.data_access_grant(
        evaluator=evaluator_client.user, reference="DAA-2026-07", by=coordinator
    )
    assert dataset_link() == "Pseudonymised"
    services.data_access_revoke(agreement=agreement, by=coordinator)
    assert dataset_link() == "Coarsened"


def test_a_toolkit_section_saved_in_the_admin_shows_on_the_next_request_in_each_language(
    client,
):
    assert "Citizen-led" in client.get("/en/toolkit/").content.decode()
    welsh = client.get("/cy/toolkit/").content.decode()
    section = ToolkitSection.objects.get(slug="approach")
    section.body_en, section.body_cy = "Plain **words**.", "Geiriau **plaen**."
    section.save()  # as the Django admin saves

    english = client.get("/en/toolkit/").content.decode()
    assert "Plain <strong>words</strong>." in english and "Citizen-led" not in english
    assert "Geiriau <strong>plaen</strong>." in client.get("/cy/toolkit/").content.decode()
    assert "Geiriau" not in welsh


def test_the_toolkits_edit_links_kept_for_coordinators_never_reach_anyone_else(
    coordinator_client, partner_client, client
):
    edit = reverse("toolkit:section-edit", args=["approach"])
    assert edit in coordinator_client.get("/en/toolkit/").content.decode()

    for someone in (partner_client, client):
        page = someone.get("/en/toolkit/").content.decode()
        assert "Citizen-led" in page and edit not in page and ">Edit<" not in page
    assert edit in coordinator_client.get("/en/toolkit/").content.decode()


def test_an_area_profile_kept_in_english_is_kept_apart_in_welsh(client, places):  # noqa: F811
    assert "<title>Swansea – Area profile" in client.get(PROFILE).content.decode()

    welsh = client.get(PROFILE.replace("/en/", "/cy/", 1)).content.decode()

    assert "<title>Abertawe – " in welsh and "Swansea –" not in welsh


def test_an_area_that_is_gone_has_no_profile_though_its_profile_was_kept(client, places):  # noqa: F811
    smaller = "/en/areas/W02000170/"
    assert "Swansea 020" in client.get(smaller).content.decode()

    Area.objects.get(code="W02000170").delete()

    assert client.get(smaller).status_code == 404


def test_a_kept_area_profile_carries_the_nonce_of_its_own_response(client, places):  # noqa: F811
    wales, county, msoas = places
    for msoa in msoas:
        value("volunteering", msoa, 30.0)
    nonces = []
    for _ in range(2):
        response = client.get(PROFILE)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_several_versions_and_rows_about_the_person_are_read_in_one_query(
    make_user, django_assert_num_queries
):
    from core.sites import REACH
    from core.versions import version_bump, version_get, versions_get

    version_bump("test:one")
    version_bump("test:one")
    person = make_user(Role.FACILITATOR, sites=[SiteFactory(), SiteFactory()])

    with django_assert_num_queries(1):
        found, rows = versions_get(
            ("test:one", "test:never"), rows=[(REACH.name, REACH.sql(), [person.pk])]
        )

    assert found["test:one"] == version_get("test:one") and found["test:one"][0] == 2
    assert found["test:one"][1].tzinfo is not None and found["test:never"] == (0, None)
    assert sorted(rows[REACH.name]) == sorted(person.sites.values_list("pk", flat=True))
