"""The interval methods against published values (exact Poisson limits from tables, Wilson's
interval as given by Newcombe 1998) and the comparison rule at its edges."""

import pytest

from indicators.statistics import (
    Comparison,
    byar,
    compare,
    interval_for,
    mean_interval,
    percent_interval,
    rate_interval,
    standardise,
    t95,
    wilson,
)


@pytest.mark.parametrize(
    ("numerator", "denominator", "lower", "upper"),
    [
        (10, 50, 0.1124, 0.3304),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),
    ],
)
def test_wilsons_interval_matches_published_values(numerator, denominator, lower, upper):
    assert wilson(numerator, denominator) == (
        pytest.approx(lower, abs=5e-5),
        pytest.approx(upper, abs=5e-5),
    )


@pytest.mark.parametrize(("numerator", "denominator"), [(-1, 10), (11, 10), (0, 0)])
def test_wilsons_interval_refuses_what_is_not_a_proportion(numerator, denominator):
    with pytest.raises(ValueError):
        wilson(numerator, denominator)


@pytest.mark.parametrize(
    ("count", "exact_lower", "exact_upper"),
    [(10, 4.7954, 18.3904), (100, 81.3639, 121.6296), (1000, 938.97, 1063.09)],
)
def test_byars_interval_is_within_a_percent_of_the_exact_poisson_limits(
    count, exact_lower, exact_upper
):
    lower, upper = byar(count)
    assert lower == pytest.approx(exact_lower, rel=0.01)
    assert upper == pytest.approx(exact_upper, rel=0.01)


def test_a_count_of_nothing_has_a_lower_limit_of_nothing_and_byars_upper_limit():
    assert byar(0) == (0.0, pytest.approx(3.668, abs=1e-3))


def test_a_rate_and_a_percentage_carry_their_intervals_in_their_own_units():
    assert rate_interval(10, 2000) == pytest.approx((5.0, 2.3937, 9.1957), abs=1e-4)
    assert percent_interval(10, 50) == pytest.approx((20.0, 11.2437, 33.0371), abs=1e-4)


@pytest.mark.parametrize(
    ("df", "critical"),
    [(1, 12.706), (9, 2.262), (10, 2.228), (35, 2.042), (120, 1.98), (121, 1.96)],
)
def test_students_t_uses_the_table_and_never_a_smaller_df_than_asked(df, critical):
    assert t95(df) == pytest.approx(critical, abs=1e-3)


def test_a_mean_has_a_t_interval():
    assert mean_interval([float(n) for n in range(1, 11)]) == pytest.approx(
        (5.5, 3.3343, 7.6657), abs=1e-4
    )
    with pytest.raises(ValueError):
        mean_interval([4.0])


@pytest.mark.parametrize(
    ("lower", "upper", "polarity", "expected"),
    [
        (10.0, 12.0, "higher", Comparison.SIMILAR),  # the comparator is the lower limit
        (10.01, 12.0, "higher", Comparison.BETTER),
        (10.01, 12.0, "lower", Comparison.WORSE),
        (10.01, 12.0, "neutral", Comparison.HIGHER),
        (8.0, 10.0, "higher", Comparison.SIMILAR),  # the comparator is the upper limit
        (8.0, 9.99, "higher", Comparison.WORSE),
        (8.0, 9.99, "lower", Comparison.BETTER),
        (8.0, 9.99, "neutral", Comparison.LOWER),
        (None, 12.0, "higher", Comparison.NOT_COMPARED),
    ],
)
def test_an_area_differs_only_when_its_interval_leaves_out_the_comparator(
    lower, upper, polarity, expected
):
    assert compare(lower=lower, upper=upper, comparator=10.0, polarity=polarity) == expected


def test_the_common_scale_counts_spreads_from_the_peers_mean_with_better_outward():
    peers = {"mean": 2.0, "spread": 1.0, "peers": 3}
    assert standardise(3.0, **peers, polarity="higher") == pytest.approx(1.0)
    assert standardise(3.0, **peers, polarity="lower") == pytest.approx(-1.0)
    assert standardise(3.0, mean=3.0, spread=None, peers=1, polarity="higher") is None
    assert standardise(3.0, mean=3.0, spread=0.0, peers=2, polarity="higher") is None


def test_an_interval_is_the_one_given_or_worked_out_by_the_units_method():
    given = interval_for(
        unit="percent", value=20.0, lower=1.0, upper=30.0, numerator=10, denominator=50
    )
    assert given == (1.0, 30.0)
    assert interval_for(unit="percent", value=20.0, numerator=10, denominator=50) == pytest.approx(
        (11.2437, 33.0371), abs=1e-4
    )
    assert interval_for(
        unit="per_1000", value=5.0, numerator=10, denominator=2000
    ) == pytest.approx((2.3937, 9.1957), abs=1e-4)
    assert interval_for(unit="count", value=10.0) == pytest.approx((4.7874, 18.3915), abs=1e-4)
    assert interval_for(unit="score", value=24.0, numerator=10, denominator=50) == (None, None)
    assert interval_for(unit="percent", value=20.0) == (None, None)
