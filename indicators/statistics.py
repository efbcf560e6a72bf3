"""Confidence intervals, comparisons and the common scale of the area profiles.

The methods are the ones public-health observatories in the UK publish with their profiles:
Wilson's score interval for proportions, Byar's approximation to the exact Poisson interval
for counts and rates (both at 95%), Student's t for means. An area is "significantly" better
or worse than its comparator when its interval leaves out the comparator's value.
"""

from __future__ import annotations

import math
from statistics import fmean, stdev

from django.db import models
from django.utils.translation import gettext_lazy as _

Z95 = 1.959964

# Two-sided 95% critical values of Student's t by degrees of freedom; between rows the
# smaller df is used, which widens the interval a little rather than narrowing it.
_T95 = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
    17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
    25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
    120: 1.980,
}  # fmt: skip


def t95(df: int) -> float:
    """The 97.5th percentile of Student's t with `df` degrees of freedom."""
    if df < 1:
        raise ValueError("Student's t needs at least one degree of freedom")
    if df > 120:
        return Z95
    return _T95[max(row for row in _T95 if row <= df)]


def wilson(numerator: float, denominator: float, *, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval for the proportion numerator/denominator, as proportions."""
    if denominator <= 0 or not 0 <= numerator <= denominator:
        raise ValueError("a proportion needs 0 ≤ numerator ≤ denominator and denominator > 0")
    p = numerator / denominator
    z2 = z * z
    centre = p + z2 / (2 * denominator)
    half = z * math.sqrt(p * (1 - p) / denominator + z2 / (4 * denominator * denominator))
    scale = 1 + z2 / denominator
    return max(0.0, (centre - half) / scale), min(1.0, (centre + half) / scale)


def byar(count: float, *, z: float = Z95) -> tuple[float, float]:
    """Byar's approximation to the exact 95% interval of a Poisson count."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    lower = 0.0
    if count > 0:
        lower = count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    above = count + 1
    upper = above * (1 - 1 / (9 * above) + z / (3 * math.sqrt(above))) ** 3
    return lower, upper


def rate_interval(
    count: float, population: float, *, per: float = 1000
) -> tuple[float, float, float]:
    """A rate per `per` residents with Byar's interval: (rate, lower, upper)."""
    if population <= 0:
        raise ValueError("a rate needs a population above 0")
    lower, upper = byar(count)
    return count / population * per, lower / population * per, upper / population * per


def percent_interval(numerator: float, denominator: float) -> tuple[float, float, float]:
    """A percentage with Wilson's interval: (percent, lower, upper)."""
    lower, upper = wilson(numerator, denominator)
    return numerator / denominator * 100, lower * 100, upper * 100


def mean_interval(values: list[float]) -> tuple[float, float, float]:
    """A mean with its t interval: (mean, lower, upper). Needs two values or more."""
    if len(values) < 2:
        raise ValueError("a mean's interval needs at least two values")
    mean = fmean(values)
    half = t95(len(values) - 1) * stdev(values) / math.sqrt(len(values))
    return mean, mean - half, mean + half


class Comparison(models.TextChoices):
    BETTER = "better", _("Better than the comparator")
    SIMILAR = "similar", _("Similar to the comparator")
    WORSE = "worse", _("Worse than the comparator")
    HIGHER = "higher", _("Higher than the comparator")
    LOWER = "lower", _("Lower than the comparator")
    NOT_COMPARED = "not_compared", _("Not compared")


def compare(
    *, lower: float | None, upper: float | None, comparator: float | None, polarity: str
) -> Comparison:
    """Whether an area differs from its comparator: significantly when its 95% interval
    [lower, upper] leaves out the comparator's value. Polarity turns higher or lower into
    better or worse; an indicator with no better direction says only higher or lower."""
    if lower is None or upper is None or comparator is None:
        return Comparison.NOT_COMPARED
    if lower <= comparator <= upper:
        return Comparison.SIMILAR
    higher = lower > comparator
    if polarity == "higher":
        return Comparison.BETTER if higher else Comparison.WORSE
    if polarity == "lower":
        return Comparison.WORSE if higher else Comparison.BETTER
    return Comparison.HIGHER if higher else Comparison.LOWER


def standardise(
    value: float, *, mean: float | None, spread: float | None, peers: int, polarity: str
) -> float | None:
    """The common scale of the spider chart: how many standard deviations `value` lies from
    the mean of its peers (every area of the same level with a value for the period), turned
    so that further out is always better. None when the peers cannot give a spread."""
    if peers < 2 or mean is None or not spread:
        return None
    score = (value - mean) / spread
    return -score if polarity == "lower" else score


def interval_for(
    *,
    unit: str,
    value: float,
    lower: float | None = None,
    upper: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
) -> tuple[float | None, float | None]:
    """The 95% interval of a value: the one it came with, or else worked out from its
    numerator and denominator by the method its unit calls for (none for a mean without its
    spread)."""
    if lower is not None and upper is not None:
        return lower, upper
    if unit == "count":
        return byar(value)
    if numerator is None or not denominator or not numerator >= 0:
        return None, None
    if unit == "percent" and numerator <= denominator:
        return percent_interval(numerator, denominator)[1:]
    if unit == "per_1000":
        return rate_interval(numerator, denominator)[1:]
    return None, None
