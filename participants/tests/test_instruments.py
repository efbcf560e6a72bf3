"""Outcome instruments score to the published values and rules (DESIGN §5). No database."""

import pytest
from django.utils import translation

from participants.instruments import (
    BRS,
    COMMUNITY,
    GSE,
    INSTRUMENTS,
    LONELINESS_DIRECT,
    NETWORK,
    ONS4,
    SWEMWBS,
    SWEMWBS_MEANINGFUL_CHANGE,
    TIME_POINTS,
    UCLA3,
    swemwbs_change,
)

# Warwick's published raw→metric conversion table for SWEMWBS, raw 7..35.
PUBLISHED_METRIC = {
    7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32,
    15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98,
    23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03,
    31: 28.13, 32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}  # fmt: skip


def answers_for(instrument, values):
    return {item.key: value for item, value in zip(instrument.items, values, strict=True)}


def swemwbs_answers_totalling(raw):
    """Seven answers of 1–5 that add up to `raw`."""
    values, left = [], raw
    for remaining in range(7, 0, -1):
        value = min(5, left - (remaining - 1))
        values.append(value)
        left -= value
    return answers_for(SWEMWBS, values)


# --- SWEMWBS -------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "metric"), sorted(PUBLISHED_METRIC.items()))
def test_every_swemwbs_raw_score_maps_to_the_published_metric_score(raw, metric):
    assert SWEMWBS.score(swemwbs_answers_totalling(raw)) == {
        "raw": raw,
        "metric": metric,
        "missing": 0,
    }


def test_swemwbs_gives_no_score_when_an_item_is_missing():
    answers = answers_for(SWEMWBS, [4, 4, 4, None, 4, 4, 4])
    assert SWEMWBS.score(answers) == {"raw": None, "metric": None, "missing": 1}
    del answers["swemwbs_1"]
    assert SWEMWBS.score(answers) == {"raw": None, "metric": None, "missing": 2}


def test_swemwbs_carries_its_copyright_notice_and_the_published_wording():
    assert str(SWEMWBS.notice) == (
        "SWEMWBS © NHS Health Scotland, University of Warwick and University of Edinburgh, "
        "2008, all rights reserved."
    )
    assert str(SWEMWBS.items[0].text) == "I've been feeling optimistic about the future"
    assert [str(label) for _value, label in SWEMWBS.items[0].choices] == [
        "None of the time",
        "Rarely",
        "Some of the time",
        "Often",
        "All of the time",
    ]


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        (18.59, 21.54, "no meaningful change"),  # +2.95
        (18.59, 21.59, "improved"),  # exactly +3, despite float arithmetic
        (19.25, 22.35, "improved"),
        (22.35, 19.25, "worse"),
        (21.54, 18.54, "worse"),  # exactly −3
        (21.54, 19.25, "no meaningful change"),
    ],
)
def test_swemwbs_change_uses_the_three_point_threshold(before, after, change):
    assert SWEMWBS_MEANINGFUL_CHANGE == 3
    assert swemwbs_change(before, after) == change


def test_swemwbs_change_refuses_scores_off_the_metric_scale():
    with pytest.raises(ValueError, match="from 7 to 35"):
        swemwbs_change(40, 20)


# --- ONS4 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "low"), (4, "low"), (5, "medium"), (6, "medium"), (7, "high"), (8, "high")]
    + [(9, "very_high"), (10, "very_high")],
)
@pytest.mark.parametrize("key", ["ons4_satisfaction", "ons4_worthwhile", "ons4_happiness"])
def test_ons4_positive_measures_use_the_ons_bands(key, value, band):
    result = ONS4.score({key: value})
    assert (result[key], result[f"{key}_band"]) == (value, band)


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "very_low"), (1, "very_low"), (2, "low"), (3, "low"), (4, "medium"), (5, "medium")]
    + [(6, "high"), (10, "high")],
)
def test_ons4_anxiety_uses_the_ons_anxiety_bands(value, band):
    assert ONS4.score({"ons4_anxiety": value})["ons4_anxiety_band"] == band


def test_ons4_is_never_summed_and_a_gap_affects_only_that_item():
    result = ONS4.score({"ons4_satisfaction": 7, "ons4_worthwhile": 9, "ons4_anxiety": 2})
    assert result == {
        "ons4_satisfaction": 7,
        "ons4_satisfaction_band": "high",
        "ons4_worthwhile": 9,
        "ons4_worthwhile_band": "very_high",
        "ons4_happiness": None,
        "ons4_happiness_band": None,
        "ons4_anxiety": 2,
        "ons4_anxiety_band": "low",
        "missing": 1,
    }


# --- Loneliness ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "total", "lonely"),
    [([1, 1, 1], 3, False), ([2, 2, 1], 5, False), ([2, 2, 2], 6, True), ([3, 3, 3], 9, True)],
)
def test_ucla3_totals_the_three_items_and_flags_six_or_more_as_lonely(values, total, lonely):
    assert UCLA3.score(answers_for(UCLA3, values)) == {
        "total": total,
        "lonely": lonely,
        "missing": 0,
    }


def test_ucla3_gives_no_total_when_an_item_is_missing():
    result = UCLA3.score({"ucla3_1": 3, "ucla3_2": 3})
    assert result == {"total": None, "lonely": None, "missing": 1}


def test_loneliness_direct_question_returns_the_value_and_its_english_label():
    with translation.override("cy"):
        result = LONELINESS_DIRECT.score({"lonely_how_often": 2})
    assert result == {"value": 2, "label": "Some of the time", "missing": 0}
    assert LONELINESS_DIRECT.score({"lonely_how_often": 1})["label"] == "Often/always"
    assert LONELINESS_DIRECT.score({"lonely_how_often": 5})["label"] == "Never"


def test_loneliness_direct_question_unanswered_gives_none():
    result = LONELINESS_DIRECT.score({"lonely_how_often": None})
    assert result == {"value": None, "label": None, "missing": 1}


# --- Sense of community --------------------------------------------------------------------


def test_sense_of_community_reports_each_item_and_their_mean():
    result = COMMUNITY.score(answers_for(COMMUNITY, [5, 4, 2]))
    assert result == {
        "community_belong": 5,
        "community_get_on": 4,
        "community_respect": 2,
        "mean": 3.67,
        "missing": 0,
    }


def test_sense_of_community_gives_no_mean_unless_all_three_are_answered():
    result = COMMUNITY.score({"community_belong": 5, "community_respect": 3})
    assert (result["community_belong"], result["community_get_on"]) == (5, None)
    assert (result["mean"], result["missing"]) == (None, 1)


# --- Brief Resilience Scale ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "mean", "band"),
    [
        ([5, 1, 5, 1, 5, 1], 5.0, "high"),
        ([1, 5, 1, 5, 1, 5], 1.0, "low"),
        # Recoded 4, 4, 3, 3, 4, 5 = 23; 23 / 6 = 3.83.
        ([4, 2, 3, 3, 4, 1], 3.83, "normal"),
        # Recoded 5, 4, 4, 5, 4, 4 = 26; 26 / 6 = 4.33, just into "high" (4.31+).
        ([5, 2, 4, 1, 4, 2], 4.33, "high"),
        # Recoded 5, 5, 4, 4, 4, 3 = 25; 25 / 6 = 4.17.
        ([5, 1, 4, 2, 4, 3], 4.17, "normal"),
        # Recoded 3, 3, 3, 3, 3, 2 = 17; 17 / 6 = 2.83.
        ([3, 3, 3, 3, 3, 4], 2.83, "low"),
        ([3, 3, 3, 3, 3, 3], 3.0, "normal"),
    ],
)
def test_brs_reverses_items_2_4_6_and_bands_the_mean(values, mean, band):
    assert BRS.score(answers_for(BRS, values)) == {"mean": mean, "band": band, "missing": 0}


def test_brs_reversed_items_are_2_4_and_6():
    assert [item.key for item in BRS.items if item.reverse] == ["brs_2", "brs_4", "brs_6"]


def test_brs_scores_only_complete_answers():
    answers = answers_for(BRS, [5, 1, 5, 1, 5, None])
    assert BRS.score(answers) == {"mean": None, "band": None, "missing": 1}


# --- General Self-Efficacy -----------------------------------------------------------------


def test_gse_total_is_the_sum_of_ten_items():
    assert GSE.score(answers_for(GSE, [3, 3, 3, 3, 3, 4, 4, 4, 4, 4])) == {
        "total": 35.0,
        "missing": 0,
    }
    assert GSE.score(answers_for(GSE, [1] * 10))["total"] == 10
    assert GSE.score(answers_for(GSE, [4] * 10))["total"] == 40


def test_gse_with_three_missing_uses_the_mean_of_the_answered_items_times_ten():
    # 7 answers summing to 22: 22 / 7 × 10 = 31.43 → 31.4.
    answers = answers_for(GSE, [4, 4, 3, 3, 3, 3, 2, None, None, None])
    assert GSE.score(answers) == {"total": 31.4, "missing": 3}


def test_gse_rounds_half_up_to_one_decimal_place():
    # 8 answers summing to 21: 21 / 8 × 10 = 26.25 → 26.3 (round-half-even would give 26.2).
    answers = answers_for(GSE, [3, 3, 3, 3, 3, 2, 2, 2, None, None])
    assert GSE.score(answers) == {"total": 26.3, "missing": 2}


def test_gse_with_four_missing_gives_no_score():
    answers = answers_for(GSE, [4, 4, 4, 4, 4, 4, None, None, None, None])
    assert GSE.score(answers) == {"total": None, "missing": 4}


# --- Social network ------------------------------------------------------------------------


def contact(group="tenant", relationship="friend", closeness=2):
    return {"group": group, "relationship": relationship, "closeness": closeness}


def test_network_counts_its_size_and_contacts_per_group():
    contacts = [contact("tenant"), contact("sanctuary"), contact("sanctuary", "workshop", 3)]
    contacts.append(contact("professional", "professional", 1))
    assert NETWORK.score({"contacts": contacts}) == {
        "size": 4,
        "group_tenant": 1,
        "group_sanctuary": 2,
        "group_professional": 1,
        "group_other": 0,
    }


def test_an_empty_network_has_size_zero():
    assert NETWORK.score({"contacts": []})["size"] == 0


def test_network_takes_ten_contacts_but_not_eleven():
    assert NETWORK.score({"contacts": [contact()] * 10})["size"] == 10
    with pytest.raises(ValueError, match="up to 10 contacts"):
        NETWORK.score({"contacts": [contact()] * 11})


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (contact(group="landlord"), "contact 1 group: 'landlord' is not allowed"),
        (contact(relationship="pet"), "contact 1 relationship: 'pet' is not allowed"),
        (contact(closeness=4), "contact 1 closeness: 4 is not allowed; use one of 1, 2, 3"),
        ({"group": "tenant"}, "contact 1: give exactly group, relationship, closeness"),
    ],
)
def test_network_rejects_a_contact_it_cannot_classify(bad, message):
    with pytest.raises(ValueError, match=message):
        NETWORK.score({"contacts": [bad]})


# --- Validation and the catalogue of instruments -------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        (SWEMWBS, {"swemwbs_3": 6}, r"swemwbs_3: 6 is not an allowed answer; .* from 1 to 5"),
        (SWEMWBS, {"swemwbs_3": 0}, r"swemwbs_3: 0 .* from 1 to 5"),
        (ONS4, {"ons4_anxiety": 11}, r"ons4_anxiety: 11 .* from 0 to 10"),
        (ONS4, {"ons4_anxiety": -1}, r"ons4_anxiety: -1 .* from 0 to 10"),
        (UCLA3, {"ucla3_2": 4}, r"ucla3_2: 4 .* from 1 to 3"),
        (GSE, {"gse_10": 2.5}, r"gse_10: 2.5 .* from 1 to 4"),
        (BRS, {"brs_1": "5"}, r"brs_1: '5' .* from 1 to 5"),
        (BRS, {"brs_1": True}, r"brs_1: True .* from 1 to 5"),
        (SWEMWBS, {"swemwbs_8": 3}, r"Unknown item 'swemwbs_8' for swemwbs; the items are"),
        (BRS, {"gse_1": 3}, r"Unknown item 'gse_1' for brs"),
    ],
)
def test_an_unknown_item_or_out_of_range_answer_is_refused_by_name(instrument, answers, message):
    with pytest.raises(ValueError, match=message):
        instrument.score(answers)


def test_every_item_key_is_unique_across_instruments():
    keys = [item.key for instrument in INSTRUMENTS.values() for item in instrument.items]
    assert len(keys) == len(set(keys))


def test_the_registry_holds_the_eight_instruments_by_code():
    assert list(INSTRUMENTS) == [
        "swemwbs",
        "ons4",
        "ucla3",
        "loneliness_direct",
        "community",
        "brs",
        "gse",
        "network",
    ]
    assert all(code == instrument.code for code, instrument in INSTRUMENTS.items())


@pytest.mark.parametrize("instrument", INSTRUMENTS.values(), ids=list(INSTRUMENTS))
def test_every_instrument_has_a_name_a_domain_and_labelled_options(instrument):
    assert str(instrument.name).strip()
    assert instrument.domain in {"individual", "community", "structural"}
    assert instrument.items
    for item in instrument.items:
        assert str(item.text).strip()
        assert item.options
        assert all(str(option.label).strip() for option in item.options)


def test_item_counts_match_the_published_instruments():
    counts = {code: len(instrument.items) for code, instrument in INSTRUMENTS.items()}
    assert counts == {
        "swemwbs": 7,
        "ons4": 4,
        "ucla3": 3,
        "loneliness_direct": 1,
        "community": 3,
        "brs": 6,
        "gse": 10,
        "network": 1,
    }


def test_time_points_are_baseline_midpoint_and_follow_up():
    assert TIME_POINTS == ("baseline", "midpoint", "follow_up")
