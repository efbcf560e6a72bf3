"""The sociogram, network measures and evaluation summary are computed once per change of
answers or ties (core.computed), and a write through the services shows at once."""

import re

import pytest
from django.urls import reverse

from participants import services
from participants.models import Tie
from participants.tests.test_evaluation import swemwbs
from participants.tests.test_networks import contact, name, taking_part

pytestmark = pytest.mark.django_db
NETWORK = reverse("participants:evaluation-network")
SUMMARY = reverse("participants:evaluation")


def baseline_ties(client) -> int:
    """The ties at baseline, as the drawing's description on the page gives them."""
    html = client.get(NETWORK).content.decode()
    if 'id="sociogram-baseline-desc"' not in html:
        return 0  # no drawing: "No ties between participants have been recorded"
    described = html.split('id="sociogram-baseline-desc">', 1)[1].split("</desc>", 1)[0]
    ties = re.search(r"Ties between participants: (\w+)", described).group(1)
    return 0 if ties == "none" else int(ties)


def tenants_with_answers(client) -> int:
    return client.get(SUMMARY).context["summary"]["time_points"][0]["groups"][0]["n"]


def test_a_new_tie_changes_the_sociogram(coordinator_client, django_capture_on_commit_callbacks):
    a, b, c = (taking_part(cohort="tenant") for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        name(a, contact("tenant", alter=b))
    assert baseline_ties(coordinator_client) == 1

    with django_capture_on_commit_callbacks(execute=True):
        name(c, contact("tenant", alter=a))

    assert baseline_ties(coordinator_client) == 2


def test_the_sociogram_is_not_recomputed_until_ties_change(
    coordinator_client, django_capture_on_commit_callbacks
):
    a, b = taking_part(cohort="tenant"), taking_part(cohort="refugee")
    with django_capture_on_commit_callbacks(execute=True):
        name(a, contact("tenant"))
    assert baseline_ties(coordinator_client) == 0
    # A row written behind the services' back is not seen: the page did not recompute.
    Tie.objects.create(
        participant=a, time_point="baseline", alter=b, alter_group="sanctuary",
        relationship="friend", closeness=2,
    )  # fmt: skip
    assert baseline_ties(coordinator_client) == 0


def test_a_withdrawal_changes_the_sociogram(coordinator_client, django_capture_on_commit_callbacks):
    a, b = taking_part(cohort="tenant"), taking_part(cohort="refugee")
    with django_capture_on_commit_callbacks(execute=True):
        name(a, contact("sanctuary", alter=b))
    assert baseline_ties(coordinator_client) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.participant_withdraw(participant=b, by=coordinator_client.user)

    assert baseline_ties(coordinator_client) == 0


def test_a_new_answer_changes_the_summary(coordinator_client, django_capture_on_commit_callbacks):
    first, second = taking_part(cohort="tenant"), taking_part(cohort="tenant")
    with django_capture_on_commit_callbacks(execute=True):
        swemwbs(first, 3)
    assert tenants_with_answers(coordinator_client) == 1

    with django_capture_on_commit_callbacks(execute=True):
        swemwbs(second, 4)

    assert tenants_with_answers(coordinator_client) == 2


def test_evaluators_and_coordinators_each_get_their_own_figures(
    coordinator_client, evaluator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            swemwbs(taking_part(cohort="tenant"), 3)
    assert tenants_with_answers(coordinator_client) == 3
    assert tenants_with_answers(evaluator_client) == "<5"


@pytest.mark.parametrize("url", [NETWORK, SUMMARY])
def test_a_repeated_page_reads_no_answers_or_ties(
    coordinator_client, url, django_assert_max_num_queries
):
    person = taking_part(cohort="tenant")
    swemwbs(person, 3)
    name(person, contact("tenant"))
    coordinator_client.get(url)
    # Session, user, sites, the outcomes' data version and the page's own few; none of the
    # answers or ties.
    with django_assert_max_num_queries(7) as captured:
        coordinator_client.get(url)
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "participants_tie" not in tables and "participants_questionnaireresponse" not in tables


def people_with_network_answers(client) -> list[str]:
    """The "People with network answers" row of the baseline table, as the page shows it."""
    html = client.get(NETWORK).content.decode()
    row = html.split("People with network answers</th>", 1)[1].split("</tr>", 1)[0]
    return [cell.split(">", 1)[1] for cell in row.split("</td>")[:-1]]


def test_a_new_tie_shows_in_the_drawn_network_page_at_once(
    coordinator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        name(taking_part(cohort="tenant"), contact("tenant"))
    assert people_with_network_answers(coordinator_client)[0] == "1"

    with django_capture_on_commit_callbacks(execute=True):
        name(taking_part(cohort="tenant"), contact("tenant"))

    assert people_with_network_answers(coordinator_client)[0] == "2"


def test_a_network_page_drawn_for_a_coordinator_is_not_shown_to_an_evaluator(
    coordinator_client, evaluator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            name(taking_part(cohort="tenant"), contact("tenant"))
    assert people_with_network_answers(coordinator_client)[0] == "3"
    assert people_with_network_answers(evaluator_client)[0] == "&lt;5"


def test_the_welsh_network_page_is_drawn_in_welsh(coordinator_client):
    name(taking_part(cohort="tenant"), contact("tenant"))
    coordinator_client.get(NETWORK)
    welsh = coordinator_client.get(NETWORK.replace("/en/", "/cy/", 1)).content.decode()
    assert "Pobl ag atebion rhwydwaith" in welsh and "People with network answers" not in welsh


def people_row(client) -> str:
    page = client.get(SUMMARY).content.decode()
    return page.split('<th scope="row" class="govuk-table__header">People</th>', 1)[1].split(
        "</tr>"
    )[0]


def test_the_summary_page_kept_for_a_coordinator_never_reaches_an_evaluator(
    coordinator_client, evaluator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            swemwbs(taking_part(cohort="tenant"), 3)
    assert 'data-label="Tenants">3</td>' in people_row(coordinator_client)
    shown = people_row(evaluator_client)
    assert 'data-label="Tenants">&lt;5</td>' in shown and ">3</td>" not in shown


def test_a_new_answer_shows_on_the_summary_page_at_once(
    coordinator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        swemwbs(taking_part(cohort="tenant"), 3)
    assert 'data-label="Tenants">1</td>' in people_row(coordinator_client)
    with django_capture_on_commit_callbacks(execute=True):
        swemwbs(taking_part(cohort="tenant"), 4)
    assert 'data-label="Tenants">2</td>' in people_row(coordinator_client)
