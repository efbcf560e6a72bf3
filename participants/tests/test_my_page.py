"""A participant's own page in plain words: answers explained, a greeting, UK dates, in
English and Welsh."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from participants.explain import response_explained
from participants.models import Consent, InformationSheet, QuestionnaireResponse
from participants.services import response_record
from participants.tests.factories import ParticipantFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 30)


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


def answered(participant, instrument, answers, by) -> QuestionnaireResponse:
    return response_record(
        participant=participant,
        instrument=instrument,
        time_point="baseline",
        answers=answers,
        by=by,
        completed_on=DAY,
    )


def lines(response) -> list[str]:
    return [f"{line.label}: {line.value}" for line in response_explained(response)]


@pytest.fixture
def me(client_as):
    client = client_as("participant")
    client.person = consenting(user=client.user, display_name="Amira")
    return client


def test_ons4_answers_read_as_sentences_with_their_band(me):
    response = answered(
        me.person,
        "ons4",
        {"ons4_satisfaction": 7, "ons4_worthwhile": 4, "ons4_happiness": 10, "ons4_anxiety": 1},
        me.user,
    )
    assert lines(response) == [
        "How satisfied you are with your life: 7 out of 10 (high)",
        "How worthwhile the things you do feel: 4 out of 10 (low)",
        "How happy you felt yesterday: 10 out of 10 (very high)",
        "How anxious you felt yesterday (lower is better): 1 out of 10 (very low)",
    ]


def test_every_instrument_is_explained_without_machine_keys(me):
    answers = {
        "swemwbs": {f"swemwbs_{n}": 3 for n in range(1, 8)},
        "ucla3": {"ucla3_1": 1, "ucla3_2": 2, "ucla3_3": 3},
        "loneliness_direct": {"lonely_how_often": 2},
        "community": {"community_belong": 4, "community_get_on": 5, "community_respect": 1},
        "brs": {f"brs_{n}": 4 for n in range(1, 7)},
        "gse": {f"gse_{n}": 3 for n in range(1, 11)},
    }
    said = {code: lines(answered(me.person, code, a, me.user)) for code, a in answers.items()}
    assert said["swemwbs"][0] == "Wellbeing score: 19.25 out of 35"
    assert said["ucla3"][0] == "Loneliness score: 6 out of 9"
    assert said["loneliness_direct"] == ["How often you feel lonely: Some of the time"]
    assert said["community"] == [
        "I belong to my local area: Tend to agree",
        "People from different backgrounds get on well here: Strongly agree",
        "People here treat each other with respect: Strongly disagree",
    ]
    assert said["brs"][0] == "Resilience score: 3 out of 5 (normal)"
    assert said["gse"][0] == "Confidence score: 30 out of 40"
    everything = " ".join(" ".join(said_lines) for said_lines in said.values())
    assert "_" not in everything and "None" not in everything


def test_a_gap_is_said_plainly(me):
    response = answered(me.person, "swemwbs", {"swemwbs_1": 3}, me.user)
    assert lines(response) == [
        "Score: No score: it needs an answer to all 7 questions.",
        "Questions left out: 6",
    ]


def test_my_page_greets_me_by_the_name_i_go_by_and_explains_my_answers(me):
    answered(me.person, "ons4", {"ons4_satisfaction": 7}, me.user)
    page = page_text(me.get(reverse("participants:me")))
    assert "Hello, Amira" in page
    assert "How satisfied you are with your life: 7 out of 10 (high)" in page
    assert "ons4_satisfaction" not in page and "Done 30 November 2026" in page


def test_without_a_name_the_page_is_just_my_page(client_as):
    client = client_as("participant")
    consenting(user=client.user)
    page = page_text(client.get(reverse("participants:me")))
    assert "Hello" not in page and "My page" in page


def test_my_page_in_welsh_explains_my_answers_in_welsh_with_welsh_dates(me):
    answered(me.person, "ons4", {"ons4_satisfaction": 7}, me.user)
    with translation.override("cy"):
        url = reverse("participants:me")
    page = page_text(me.get(url))
    assert "Helo, Amira" in page
    assert "30 Tachwedd 2026" in page
    assert "7 allan o 10 (uchel)" in page
    assert "How satisfied" not in page


def test_dates_are_written_the_uk_way_in_english():
    from django.utils.formats import date_format

    with translation.override("en"):
        assert date_format(DAY) == "30 November 2026"
        assert date_format(
            datetime.datetime(2026, 11, 30, 14, 5, tzinfo=datetime.UTC), "DATETIME_FORMAT"
        ) == ("30 November 2026, 14:05")
    with translation.override("cy"):
        assert date_format(DAY) == "30 Tachwedd 2026"


def test_a_day_first_typed_date_is_read_the_uk_way():
    from django import forms

    with translation.override("en"):
        assert forms.DateField().clean("03/04/2026") == datetime.date(2026, 4, 3)
