from collections import Counter, defaultdict
from datetime import timedelta
from statistics import fmean

import pytest

from participants import demo_outcomes
from participants.instruments import INSTRUMENTS
from participants.models import (
    ConsentScope,
    Participant,
    QuestionnaireResponse,
    Tie,
    TieFormed,
)

pytestmark = pytest.mark.django_db

INSTRUMENT_CODES = {*demo_outcomes.ITEM_SCORED, "network"}


def scores(instrument: str, time_point: str, key: str) -> dict[str, float]:
    """code → score, for the responses that have one."""
    rows = QuestionnaireResponse.objects.filter(instrument=instrument, time_point=time_point)
    return {
        code: found[key]
        for code, found in rows.values_list("participant__code", "scores")
        if found[key] is not None
    }


def ties_by_participant(time_point: str) -> dict[str, list[Tie]]:
    ties = defaultdict(list)
    for tie in Tie.objects.filter(time_point=time_point).select_related("participant", "alter"):
        ties[tie.participant.code].append(tie)
    return ties


def test_seeding_reports_the_time_points_and_the_change_in_wellbeing(demo):
    line = next(line for line in demo.splitlines() if line.startswith("Demo outcomes"))
    assert line.startswith("Demo outcomes: 50 baseline, 40 follow-up, 30 midpoint; mean SWEMWBS")
    before, after = (float(mean) for mean in line.rsplit(" ", 3)[1::2])
    assert 17 <= before <= 21 < after


def test_everyone_answers_at_baseline_and_most_at_follow_up_and_midpoint(demo):
    people = Counter(
        QuestionnaireResponse.objects.filter(instrument="network").values_list(
            "time_point", flat=True
        )
    )
    assert people == {"baseline": 50, "follow_up": 40, "midpoint": 30}
    answered = QuestionnaireResponse.objects.values_list("participant", "time_point")
    for instruments in Counter(answered).values():
        assert instruments == len(INSTRUMENT_CODES)
    assert set(QuestionnaireResponse.objects.values_list("instrument", flat=True)) == (
        INSTRUMENT_CODES
    )
    assert QuestionnaireResponse.objects.count() == 8 * (50 + 40 + 30)


def test_every_response_is_scored_by_its_instruments_rule(demo):
    missing = Counter()
    for response in QuestionnaireResponse.objects.all():
        assert response.scores == INSTRUMENTS[response.instrument].score(response.answers)
        if response.instrument == "network":
            continue
        gaps = sum(answer is None for answer in response.answers.values())
        missing[response.instrument] += gaps > 0
        if response.instrument == "swemwbs":
            assert (response.scores["metric"] is None) == (gaps > 0)
    item_scored = QuestionnaireResponse.objects.exclude(instrument="network").count()
    assert 0.02 * item_scored <= missing.total() <= 0.1 * item_scored
    assert missing["swemwbs"] >= 1


def test_wellbeing_rises_from_baseline_to_follow_up_for_most_but_not_all(demo):
    before = scores("swemwbs", "baseline", "metric")
    after = scores("swemwbs", "follow_up", "metric")
    assert 17 <= fmean(before.values()) <= 21
    assert 1.5 <= fmean(after.values()) - fmean(before.values()) <= 4
    changes = [after[code] - before[code] for code in after.keys() & before.keys()]
    assert len(changes) >= 30
    assert any(change < 0 for change in changes)
    assert 0.25 <= sum(change >= 3 for change in changes) / len(changes) <= 0.6


def test_people_seeking_sanctuary_start_lonelier_and_loneliness_falls(demo):
    sanctuary = set(
        Participant.objects.filter(cohort__in=["asylum_seeker", "refugee"]).values_list(
            "code", flat=True
        )
    )
    before = scores("ucla3", "baseline", "total")
    after = scores("ucla3", "follow_up", "total")
    lonelier = fmean(total for code, total in before.items() if code in sanctuary)
    assert lonelier > fmean(total for code, total in before.items() if code not in sanctuary)
    assert fmean(after.values()) < fmean(before.values())
    for instrument, key in [("ons4", "ons4_satisfaction"), ("community", "mean")]:
        baseline = fmean(scores(instrument, "baseline", key).values())
        assert baseline < fmean(scores(instrument, "follow_up", key).values()) < baseline + 2


def test_networks_grow_and_gain_bridging_ties(demo):
    before, after = ties_by_participant("baseline"), ties_by_participant("follow_up")
    assert {len(ties) for ties in before.values()} <= set(range(2, 8))
    assert {len(ties) for ties in after.values()} <= set(range(3, 10))
    assert fmean(map(len, after.values())) > fmean(map(len, before.values()))

    def bridging(ties_of):
        return fmean(sum(bool(tie.bridging) for tie in ties) for ties in ties_of.values())

    assert bridging(before) < 0.5 < 1.5 < bridging(after)
    bonding = sum(tie.bridging is False for ties in before.values() for tie in ties)
    assert bonding > 0.6 * sum(map(len, before.values()))


def test_participants_name_each_other_across_the_two_groups_at_follow_up(demo):
    named = Tie.objects.filter(time_point="follow_up", alter__isnull=False)
    named = named.select_related("participant", "alter")
    assert named.count() >= 10
    pairs = {(tie.participant_id, tie.alter_id) for tie in named}
    assert sum((alter, ego) in pairs for ego, alter in pairs) >= 2 * 3  # both ways, 3+ pairs
    for tie in named:
        assert tie.alter.is_sanctuary != tie.participant.is_sanctuary
        assert tie.alter_group == ("sanctuary" if tie.alter.is_sanctuary else "tenant")
        assert tie.bridging is True
        assert tie.formed in (TieFormed.WORKSHOP, TieFormed.ASSET)
    assert named.filter(formed=TieFormed.ASSET).exists()  # linked to places by assets' demo


def test_contacts_are_described_never_named(demo):
    for response in QuestionnaireResponse.objects.filter(instrument="network"):
        for contact in response.answers["contacts"]:
            assert set(contact) == {"group", "relationship", "closeness"}


def test_answers_are_dated_by_visit_and_recorded_in_the_right_name(demo):
    responses = QuestionnaireResponse.objects.select_related("participant", "recorded_by")
    for response in responses:
        joined = response.participant.joined_on
        low, high = {"baseline": (0, 0), "midpoint": (85, 110), "follow_up": (175, 210)}[
            response.time_point
        ]
        assert joined + timedelta(days=low) <= response.completed_on
        assert response.completed_on <= min(joined + timedelta(days=high), demo_outcomes.LATEST)
        assert response.interpreter_used == response.participant.interpreter_needed
        assert response.language in ("en", "cy")
        themselves = response.participant.code == "P-001" and response.time_point == "follow_up"
        assert response.recorded_by.username == ("participant" if themselves else "coordinator")
    assert responses.filter(interpreter_used=True).exists()


def test_no_answers_are_kept_for_anyone_without_consent_to_take_part(demo):
    consenting = Participant.objects.filter(
        consents__scope=ConsentScope.TAKE_PART, consents__withdrawn_on__isnull=True
    )
    assert QuestionnaireResponse.objects.exists()
    assert not QuestionnaireResponse.objects.exclude(participant__in=consenting).exists()
    # Someone whose consent lapsed (answers already erased) gets no new demo answers.
    lapsed = Participant.objects.get(code="P-002")
    lapsed.responses.all().delete()
    lapsed.ties.all().delete()
    lapsed.consents.filter(scope=ConsentScope.TAKE_PART).update(withdrawn_on=lapsed.joined_on)
    (line,) = demo_outcomes.seed()
    assert line.startswith("Demo outcomes: 49 baseline")
    assert not lapsed.responses.exists()
    assert not lapsed.ties.exists()
