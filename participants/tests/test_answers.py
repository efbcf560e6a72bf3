import json

import pytest
from django.test import Client
from django.urls import reverse

from participants.models import (
    AuditEvent,
    Consent,
    InformationSheet,
    QuestionnaireResponse,
    Tie,
)
from participants.tests.factories import ParticipantFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db
SWEMWBS = {f"swemwbs_{n}": 3 for n in range(1, 8)}


def consenting(**kwargs):
    participant = ParticipantFactory(**kwargs)
    Consent.objects.create(
        participant=participant,
        sheet=InformationSheet.objects.get(version="1.0"),
        scope="take_part",
        method="written",
        given_on="2026-01-05",
    )
    return participant


def test_coordinator_enters_swemwbs_for_someone_and_sees_the_score(coordinator_client):
    person = consenting()
    url = reverse("participants:participant-answers", args=[person.code, "swemwbs", "baseline"])
    response = coordinator_client.post(url, {**SWEMWBS, "completed_on": "2026-02-01"}, follow=True)
    saved = QuestionnaireResponse.objects.get()
    assert saved.scores == {"raw": 21, "metric": 19.25, "missing": 0}
    page = page_text(response)
    assert "Wellbeing score: 19.25 out of 35" in page
    assert "SWEMWBS © NHS Health Scotland" in page
    assert AuditEvent.objects.filter(subject="answers", participant_code=person.code).exists()


def test_a_missing_swemwbs_item_gives_no_score(coordinator_client):
    person = consenting()
    answers = {**SWEMWBS, "swemwbs_4": ""}
    coordinator_client.post(
        reverse("participants:participant-answers", args=[person.code, "swemwbs", "baseline"]),
        {**answers, "completed_on": "2026-02-01"},
    )
    assert QuestionnaireResponse.objects.get().scores["metric"] is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"swemwbs_1": "9"}, "Select a valid choice"),
        ({"completed_on": "2999-01-01"}, "The date cannot be in the future"),
    ],
)
def test_bad_answers_are_explained_and_not_saved(coordinator_client, data, message):
    person = consenting()
    url = reverse("participants:participant-answers", args=[person.code, "swemwbs", "baseline"])
    page = coordinator_client.post(
        url, {**SWEMWBS, "completed_on": "2026-02-01", **data}
    ).content.decode()
    assert "There is a problem" in page and message in page
    assert not QuestionnaireResponse.objects.exists()


def test_unknown_instrument_or_time_point_is_not_found(coordinator_client):
    person = consenting()
    for args in ([person.code, "nope", "baseline"], [person.code, "swemwbs", "later"]):
        assert (
            coordinator_client.get(
                reverse("participants:participant-answers", args=args)
            ).status_code
            == 404
        )


def test_no_answers_without_consent_to_take_part(coordinator_client):
    person = ParticipantFactory()
    url = reverse("participants:participant-answers", args=[person.code, "swemwbs", "baseline"])
    page = coordinator_client.post(url, {**SWEMWBS, "completed_on": "2026-02-01"}).content.decode()
    assert "Record consent to take part before any answers" in page
    assert not QuestionnaireResponse.objects.exists()


def test_network_contacts_become_ties_including_other_participants(coordinator_client):
    person, other = consenting(cohort="tenant"), consenting(cohort="refugee")
    url = reverse("participants:participant-answers", args=[person.code, "network", "follow_up"])
    coordinator_client.post(
        url,
        {
            "completed_on": "2026-07-01",
            "group_1": "sanctuary", "relationship_1": "workshop", "closeness_1": "2",
            "formed_1": "workshop", "alter_1": other.code.lower(),
            "group_2": "professional", "relationship_2": "professional", "closeness_2": "1",
            "formed_2": "before",
        },
    )  # fmt: skip
    ties = list(Tie.objects.order_by("pk"))
    assert [(t.alter, t.alter_group, t.formed) for t in ties] == [
        (other, "sanctuary", "workshop"), (None, "professional", "before"),
    ]  # fmt: skip
    assert ties[0].bridging is True and ties[1].bridging is None
    assert QuestionnaireResponse.objects.get(instrument="network").scores["size"] == 2


def test_network_row_missing_answers_and_unknown_codes_are_explained(coordinator_client):
    person = consenting()
    url = reverse("participants:participant-answers", args=[person.code, "network", "baseline"])
    page = coordinator_client.post(
        url, {"completed_on": "2026-02-01", "group_1": "tenant", "alter_1": "P-999"}
    ).content.decode()
    assert "Person 1: choose an answer" in page
    assert "Person 1: no participant has the code P-999" in page
    assert not Tie.objects.exists()


def test_a_code_at_another_site_is_not_found_as_a_code_nobody_has(coordinator_client):
    from core.tests.factories import SiteFactory

    person = consenting()
    elsewhere = consenting(site=SiteFactory(slug="elsewhere"))
    url = reverse("participants:participant-answers", args=[person.code, "network", "baseline"])
    row = {"group_1": "tenant", "relationship_1": "neighbour", "closeness_1": "2"}
    errors = []
    for code in (elsewhere.code, "P-999"):
        data = {"completed_on": "2026-02-01", **row, "alter_1": code}
        page = coordinator_client.post(url, data)
        assert f"Person 1: no participant has the code {code}" in page.content.decode()
        errors.append(json.dumps(page.context["form"].errors).replace(code, "CODE"))
    assert errors[0] == errors[1]  # the same answer either way
    assert not Tie.objects.exists()


def test_participant_answers_for_themselves_and_downloads_their_data(client_as):
    client = client_as("participant")
    person = consenting(user=client.user)
    client.post(
        reverse("participants:my-answers", args=["swemwbs", "baseline"]),
        {**SWEMWBS, "completed_on": "2026-02-01"},
    )
    page = page_text(client.get(reverse("participants:me")))
    assert f"Your code is {person.code}" in page and "Wellbeing score: 19.25 out of 35" in page
    data = json.loads(client.get(reverse("participants:my-data"), {"format": "json"}).content)
    assert data["participant"]["code"] == person.code
    assert data["answers"][0]["scores"]["metric"] == 19.25
    assert data["notices"][0].startswith("SWEMWBS © NHS Health Scotland")
    csv_body = client.get(reverse("participants:my-data"), {"format": "csv"}).content.decode()
    assert "answers,1.scores.metric,19.25" in csv_body
    assert AuditEvent.objects.filter(action="download", participant_code=person.code).count() == 2


def test_my_page_is_only_for_signed_in_participants(client_as):
    assert Client().get(reverse("participants:me"))["Location"].startswith("/en/sign-in/")
    assert client_as("evaluator").get(reverse("participants:me")).status_code == 404
