"""Disclosure control (DESIGN §6; docs/privacy.md, "Disclosure control") pinned at its edges on
every page and download that counts people or averages over them, as every role that sees it:
counts of 4, 5 and 6 and means over 9, 10 and 11 people; coordinators see exact numbers,
facilitators, evaluators, participants and partners (where they may see the page at all) the
controlled ones. Then differencing: where one group is 1–4 and the other 5 or more, no page,
file or other page shown to the same person lets the small one be worked out.

The rules themselves are tested in participants/tests/test_disclosure.py.
"""

import csv
import html
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assets.models import AssetEndorsement
from assets.tests.factories import AssetFactory
from core.models import Role
from core.tests.factories import default_site
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory
from participants.tests.test_evaluation import swemwbs
from participants.tests.test_networks import contact, name, taking_part
from workshops.models import Affects, Barrier, BarrierKind
from workshops.tests.test_tracking import workshop

pytestmark = pytest.mark.django_db

OUTSIDE = [Role.FACILITATOR, Role.EVALUATOR, Role.PARTICIPANT, Role.PARTNER]
EVERY_ROLE = [Role.COORDINATOR, *OUTSIDE]
COUNTS = [4, 5, 6]
MEANS = [9, 10, 11]
HIDDEN_MEAN = "not shown (fewer than 10)"


def shown(count: int, role) -> str:
    """A count of people as this role should see it."""
    return "<5" if role != Role.COORDINATOR and 0 < count < 5 else str(count)


def text(page) -> str:
    return page.content.decode() if hasattr(page, "content") else page


def row_cells(page: str, header: str) -> list[str]:
    """The cells of the table row headed `header`, as text."""
    row = page.split(f">{header}</th>", 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def pdf_lines(response) -> list[str]:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages).splitlines()


def mixed_workshop(tenants: int, sanctuary: int, *, facilitators=()):
    """A workshop with this many tenants and refugees on the register and a barrier named
    there (so it is common ground), and an asset valued by as many of each group."""
    held = workshop("Getting about", facilitators=facilitators, tenant=tenants, refugee=sanctuary)
    Barrier.objects.create(
        site=default_site(),
        title="Bus fares",
        kind=BarrierKind.COST,
        affects=Affects.TENANTS,
        workshop=held,
    )
    asset = AssetFactory(name="Townhill Library")
    for cohort, count in ((Cohort.TENANT, tenants), (Cohort.REFUGEE, sanctuary)):
        for _ in range(count):
            AssetEndorsement.objects.create(
                asset=asset, participant=ParticipantFactory(cohort=cohort)
            )
    return held, asset


def common_ground_counts(page: str) -> dict:
    """What common ground shows of the workshop's attendance and the asset's endorsements."""
    sentence = r"\(tenants: ([^;]+); people seeking sanctuary: ([^)]+)\)"
    attended = re.search(sentence, html.unescape(page))
    valued = row_cells(page, "Townhill Library</a>")
    return {
        "attended": attended.groups(),
        "valued": tuple(valued[1:3]),
    }


def listed_attending(listing: str, title: str) -> str:
    """The number attending in the list of workshops, in the row of this workshop."""
    row = listing.split(f">{title}</a>", 1)[1].split("</tr>", 1)[0]
    return html.unescape(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1]).strip()


def report_counts(client, held) -> dict:
    """Who came, by group and in all, on the report page, in its CSV and its PDF, and the
    number attending on the workshop's page and in the list of workshops."""
    url = reverse("workshops:workshop-report", args=[held.pk])
    page = text(client.get(url))
    groups = ("Social housing tenants", "People seeking sanctuary", "Other", "Total")
    rows = {}
    for row in csv_rows(client.get(url, {"format": "csv"})):
        if len(row) > 1:
            rows.setdefault(row[0], row[1])
    lines = pdf_lines(client.get(url, {"format": "pdf"}))
    detail = text(client.get(reverse("workshops:workshop-detail", args=[held.pk])))
    listing = text(client.get(reverse("workshops:workshop-list")))
    return {
        "page": tuple(row_cells(page, group)[0] for group in groups),
        "csv": tuple(rows[group] for group in groups),
        "pdf": tuple(
            next(line for line in lines if line.startswith(group + " ")).split(" ")[-1]
            for group in groups
        ),
        "detail": html.unescape(re.search(r'id="attending">([^<]*)<', detail).group(1)),
        "list": listed_attending(listing, "Getting about"),
    }


# --- Counts of 4, 5 and 6 --------------------------------------------------------------------


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("role", EVERY_ROLE)
def test_common_ground_counts_at_the_edge(client_as, role, count):
    mixed_workshop(count, count)
    page = text(client_as(role).get(reverse("workshops:common-ground")))
    expected = (shown(count, role), shown(count, role))
    assert common_ground_counts(page) == {"attended": expected, "valued": expected}


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("role", [*EVERY_ROLE, None])
def test_endorsement_counts_on_an_asset_at_the_edge(client_as, role, count):
    _held, asset = mixed_workshop(count, count)
    page = text(client_as(role).get(reverse("assets:asset-detail", args=[asset.pk])))
    for group in ("tenants", "sanctuary"):
        cell = re.search(rf'id="valued-{group}">([^<]*)<', page).group(1)
        assert html.unescape(cell) == shown(count, role)


@pytest.mark.parametrize(
    ("count", "facilitator_sees"),
    [
        # Two cells of 4 could only add up to 8 one way: the total is withheld.
        (4, ("<5", "<5", "0", "withheld")),
        (5, ("5", "5", "0", "10")),
        (6, ("6", "6", "0", "12")),
    ],
)
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FACILITATOR])
def test_report_page_csv_pdf_and_workshop_pages_at_the_edge(
    client_as, role, count, facilitator_sees
):
    client = client_as(role)
    held, _asset = mixed_workshop(count, count, facilitators=[client.user])
    expected = (
        (str(count), str(count), "0", str(2 * count))
        if role == Role.COORDINATOR
        else facilitator_sees
    )
    counts = report_counts(client, held)
    assert counts["page"] == counts["csv"] == counts["pdf"] == expected
    assert counts["detail"] == counts["list"] == expected[-1]


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.EVALUATOR])
def test_evaluation_summary_counts_at_the_edge(client_as, role, count):
    for cohort in ("tenant", "refugee"):
        for _ in range(count):
            person = taking_part(cohort=cohort)
            swemwbs(person, 3)
            swemwbs(person, 4, time_point="follow_up")
    page = text(client_as(role).get(reverse("participants:evaluation")))
    people = row_cells(page.split("Baseline:")[1], "People")
    assert people == [shown(count, role)] * 2
    assert row_cells(page, "Improved") == [shown(count, role)] * 2
    assert row_cells(page, "People with both scores") == [shown(count, role)] * 2


@pytest.mark.parametrize("count", COUNTS)
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.EVALUATOR])
def test_network_counts_at_the_edge(client_as, role, count):
    for cohort in ("tenant", "refugee"):
        for _ in range(count):
            name(taking_part(cohort=cohort), contact("tenant"), contact("sanctuary"))
    page = text(client_as(role).get(reverse("participants:evaluation-network")))
    assert row_cells(page, "People with network answers") == [shown(count, role)] * 2


# --- Means over 9, 10 and 11 people ----------------------------------------------------------


def mean_shown(people: int, role, value: str) -> str:
    return value if role == Role.COORDINATOR or people >= 10 else HIDDEN_MEAN


@pytest.mark.parametrize("people", MEANS)
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.EVALUATOR])
def test_evaluation_means_at_the_edge(client_as, role, people):
    for _ in range(people):
        person = taking_part(cohort="tenant")
        swemwbs(person, 3)
        name(person, contact("tenant"), contact("sanctuary"), contact("sanctuary"))
    page = text(client_as(role).get(reverse("participants:evaluation")))
    wellbeing = row_cells(page, "Average SWEMWBS wellbeing score (7 to 35, higher is better)")
    assert wellbeing[0] == mean_shown(people, role, "19.2")
    ei_index = (
        "Average E–I index (−1: ties only within their own group; +1: only to the other group)"
    )
    assert row_cells(page, ei_index)[0] == mean_shown(people, role, "0.3")


@pytest.mark.parametrize("people", MEANS)
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.EVALUATOR])
def test_network_means_at_the_edge(client_as, role, people):
    for _ in range(people):
        name(taking_part(cohort="refugee"), contact("tenant"), contact("sanctuary"))
    page = text(client_as(role).get(reverse("participants:evaluation-network")))
    assert row_cells(page, "Average number of contacts")[1] == mean_shown(people, role, "2.0")
    assert row_cells(page, "Average bridging ties")[1] == mean_shown(people, role, "1.0")


# --- Differencing: one group 1–4, the other 5 or more ----------------------------------------


def test_no_page_or_file_a_facilitator_sees_gives_away_a_small_group(client_as):
    """7 tenants and 3 people seeking sanctuary came. Before, the report withheld the 7 but
    common ground showed it and the list showed the total: 10 − 7 = 3."""
    client = client_as(Role.FACILITATOR)
    held, _asset = mixed_workshop(7, 3, facilitators=[client.user])
    counts = report_counts(client, held)
    assert counts["page"] == counts["csv"] == counts["pdf"] == ("withheld", "<5", "0", "10")
    assert counts["detail"] == counts["list"] == "10"
    ground = common_ground_counts(text(client.get(reverse("workshops:common-ground"))))
    assert ground == {"attended": ("withheld", "<5"), "valued": ("withheld", "<5")}


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.PARTNER, Role.EVALUATOR])
def test_no_page_anyone_else_sees_gives_away_a_small_group(client_as, role):
    _held, asset = mixed_workshop(7, 3)
    client = client_as(role)
    ground = common_ground_counts(text(client.get(reverse("workshops:common-ground"))))
    assert ground == {"attended": ("withheld", "<5"), "valued": ("withheld", "<5")}
    page = text(client.get(reverse("assets:asset-detail", args=[asset.pk])))
    assert 'id="valued-tenants">withheld<' in page and 'id="valued-sanctuary">&lt;5<' in page


def test_the_evaluation_summary_gives_away_no_small_group(evaluator_client):
    for cohort, count in (("tenant", 7), ("refugee", 3)):
        for _ in range(count):
            person = taking_part(cohort=cohort)
            swemwbs(person, 3)
            name(person, contact("tenant"))
    summary = text(evaluator_client.get(reverse("participants:evaluation")))
    assert row_cells(summary.split("Baseline:")[1], "People") == ["withheld", "<5"]
    network = text(evaluator_client.get(reverse("participants:evaluation-network")))
    assert row_cells(network, "People with network answers") == ["withheld", "<5"]
