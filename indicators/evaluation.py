"""The evaluation report (DESIGN §1, §5, §6; docs/evaluation.md): every instrument's scores
by time point and group, the paired change from baseline to follow-up with its 95% interval
and effect size, the share with a meaningful change, network measures before and after, and
the sociograms.

Participants owns the data, the scoring and the disclosure rules; this module reads its rows
(`participants.evaluation.outcome_rows`, `participants.networks`) and passes every count and
mean through `participants.disclosure`. What it returns is what anyone may see: the page, the
CSV, the XLSX and the PDF all render the same `Report`, so they cannot disagree.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from statistics import stdev

from django.utils.translation import gettext_lazy as _

from indicators.statistics import mean_interval
from participants import networks
from participants.disclosure import (
    MEAN_HIDDEN,
    WITHHELD,
    mean_shown,
    row_shown,
    union_mean_shown,
    union_shown,
)
from participants.evaluation import SCORE_COLUMNS, outcome_rows
from participants.instruments import (
    CHANGE_LABELS,
    INSTRUMENTS,
    SWEMWBS_MEANINGFUL_CHANGE,
    TIME_POINTS,
    swemwbs_change,
)
from participants.models import TimePoint

TENANT, SANCTUARY, OTHER = networks.TENANT, networks.SANCTUARY, networks.OTHER
ALL = "all"
GROUPS = (TENANT, SANCTUARY, ALL)
GROUP_LABELS = {**networks.GROUP_LABELS, ALL: _("All")}
BEFORE, AFTER = TimePoint.BASELINE.value, TimePoint.FOLLOW_UP.value

# The scores of each instrument that the report summarises, with what they run from and to.
# Bands, labels, yes/no flags, raw sums and missing-item counts are in the dataset only.
MEASURES: dict[str, tuple[tuple[str, object], ...]] = {
    "swemwbs": (("metric", _("Wellbeing, metric score (7–35, higher is better)")),),
    "ons4": (
        ("ons4_satisfaction", _("Life satisfaction (0–10, higher is better)")),
        ("ons4_worthwhile", _("Things done in life are worthwhile (0–10, higher is better)")),
        ("ons4_happiness", _("Happiness yesterday (0–10, higher is better)")),
        ("ons4_anxiety", _("Anxiety yesterday (0–10, higher is worse)")),
    ),
    "ucla3": (("total", _("Loneliness total (3–9, higher is lonelier)")),),
    "loneliness_direct": (
        ("value", _("How often lonely (1 often or always … 5 never; higher is less lonely)")),
    ),
    "community": (("mean", _("Sense of community, mean of three items (1–5)")),),
    "brs": (("mean", _("Resilience, mean of six items (1–5, higher is better)")),),
    "gse": (("total", _("Self-efficacy total (10–40, higher is better)")),),
    "network": (("size", _("Contacts named (0–10)")),),
}
# The change in one person's score that counts as meaningful for them, where the
# instrument has one (DESIGN §5: SWEMWBS, about 3 metric points).
MEANINGFUL = {("swemwbs", "metric"): SWEMWBS_MEANINGFUL_CHANGE}
NO_MEANINGFUL = _("none defined")


@dataclass
class Table:
    """One table of the report as anyone may see it: every cell already disclosure-
    controlled. `slug` names the sheet and the CSV's table column."""

    slug: str
    title: str
    columns: list
    rows: list[list] = field(default_factory=list)
    numeric_from: int = 1  # columns from here on are figures (right-aligned)


@dataclass
class Series:
    label: str
    values: list  # a number, or None where nothing may be shown


@dataclass
class Chart:
    """Means at each time point by group, for a line chart."""

    title: str
    points: list
    series: list[Series]


@dataclass
class Instrument:
    code: str
    name: str
    notice: object
    scores: Table
    change: Table
    charts: list[Chart]


@dataclass
class Report:
    instruments: list[Instrument]
    network: Table
    sociograms: list[dict]
    exact: bool

    @property
    def tables(self) -> list[Table]:
        tables = []
        for instrument in self.instruments:
            tables += [instrument.scores, instrument.change]
        tables.append(self.network)
        tables += [panel["table"] for panel in self.sociograms]
        return tables


def _rounded(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def _by_group(rows: list[dict], column: str) -> dict[str, list[float]]:
    """The values of `column` in these rows, by group (tenant, sanctuary, other)."""
    found = {TENANT: [], SANCTUARY: [], OTHER: []}
    for row in rows:
        if row[column] is not None and not isinstance(row[column], bool):
            found[row["group"]].append(row[column])
    return found


def _score_rows(rows: list[dict], column: str, label, *, exact: bool) -> list[list]:
    """n and mean per group at each time point with any value: n as one breakdown (tenants,
    people seeking sanctuary, other; all as its total), means per group and over all only
    where `union_shown`."""
    out = []
    for point in TIME_POINTS:
        parts = _by_group([row for row in rows if row["time_point"] == point], column)
        if not any(parts.values()):
            continue
        counts = row_shown({group: len(values) for group, values in parts.items()}, exact=exact)
        shown = {
            TENANT: (counts.cells[TENANT], mean_shown(parts[TENANT], exact=exact)),
            SANCTUARY: (counts.cells[SANCTUARY], mean_shown(parts[SANCTUARY], exact=exact)),
            ALL: (counts.total, union_mean_shown(parts, exact=exact)),
        }
        point_label = TimePoint(point).label
        for group in GROUPS:
            n, mean = shown[group]
            out.append([label, point_label, GROUP_LABELS[group], n, mean])
    return out


def _pairs(rows: list[dict], column: str) -> dict[str, list[tuple[float, float]]]:
    """(baseline, follow-up) of everyone with both, by group."""
    values = {
        (row["pair"], row["time_point"]): row[column]
        for row in rows
        if row["pair"] is not None and row[column] is not None
    }
    groups = {row["pair"]: row["group"] for row in rows if row["pair"] is not None}
    found = {TENANT: [], SANCTUARY: [], OTHER: []}
    for (code, point), before in values.items():
        after = values.get((code, AFTER))
        if point == BEFORE and after is not None:
            found[groups[code]].append((before, after))
    return found


def paired_change(pairs: list[tuple[float, float]]) -> dict:
    """The mean change from the first value to the second with its 95% interval (Student's
    t with n − 1 degrees of freedom) and the standardised effect size for paired data
    (Cohen's d_z: the mean change divided by the standard deviation of the changes). Needs
    two pairs for an interval; d_z is None when every change is the same."""
    changes = [after - before for before, after in pairs]
    if not changes:
        return {"n": 0, "mean": None, "lower": None, "upper": None, "effect": None}
    if len(changes) < 2:
        return {"n": 1, "mean": changes[0], "lower": None, "upper": None, "effect": None}
    mean, lower, upper = mean_interval(changes)
    spread = stdev(changes)
    effect = mean / spread if spread > 0 else None
    return {"n": len(changes), "mean": mean, "lower": lower, "upper": upper, "effect": effect}


def _change_cells(pairs: list[tuple[float, float]], *, shown: bool) -> list:
    """Mean change, interval and effect size, rounded to 2 places, or "not shown" thrice."""
    if not pairs:
        return [None, None, None, None]
    if not shown:
        return [str(MEAN_HIDDEN), None, None, None]
    change = paired_change(pairs)
    return [_rounded(change[key]) for key in ("mean", "lower", "upper", "effect")]


def _meaningful_cells(pairs, threshold, *, exact: bool, shown: bool, union: bool) -> list:
    """Improved, no meaningful change and worse (one breakdown), and the percentage improved
    (a mean of yes/no, so shown only where a mean would be). Over all groups (`union`) the
    breakdown is withheld unless every group could show its own figures: all less the
    groups shown would give a hidden group's cells away."""
    if threshold is None:
        return [str(NO_MEANINGFUL), None, None, None]
    if union and pairs and not shown:
        return [str(WITHHELD)] * len(CHANGE_LABELS) + [str(MEAN_HIDDEN)]
    kinds = Counter(swemwbs_change(before, after) for before, after in pairs)
    row = row_shown({kind: kinds[kind] for kind in CHANGE_LABELS}, exact=exact)
    share = None
    if pairs:
        share = round(100 * kinds["improved"] / len(pairs), 1) if shown else str(MEAN_HIDDEN)
    return [*row.cells.values(), share]


def _change_rows(rows: list[dict], code: str, key: str, column: str, label, *, exact: bool):
    parts = _pairs(rows, column)
    counts = row_shown({group: len(pairs) for group, pairs in parts.items()}, exact=exact)
    sizes = [len(pairs) for pairs in parts.values()]
    threshold = MEANINGFUL.get((code, key))
    out = []
    for group in GROUPS:
        if group == ALL:
            pairs = [pair for found in parts.values() for pair in found]
            n, shown = counts.total, union_shown(sizes, exact=exact)
        else:
            pairs = parts[group]
            n, shown = counts.cells[group], union_shown([len(pairs)], exact=exact)
        cells = _change_cells(pairs, shown=shown)
        meaningful = _meaningful_cells(
            pairs, threshold, exact=exact, shown=shown, union=group == ALL
        )
        out.append([label, GROUP_LABELS[group], n, *cells, *meaningful])
    return out


def _chart(score_rows: list[list], label) -> Chart:
    points = [str(TimePoint(point).label) for point in TIME_POINTS]
    series = []
    for group in GROUPS:
        by_point = {
            str(row[1]): row[4]
            for row in score_rows
            if row[0] == label and row[2] == GROUP_LABELS[group]
        }
        values = [by_point.get(point) for point in points]
        series.append(
            Series(
                label=str(GROUP_LABELS[group]),
                values=[value if isinstance(value, float | int) else None for value in values],
            )
        )
    return Chart(title=str(label), points=points, series=series)


SCORE_COLUMNS_SHOWN = [_("Measure"), _("Time point"), _("Group"), _("People"), _("Mean")]
CHANGE_COLUMNS = [
    _("Measure"),
    _("Group"),
    _("People with baseline and follow-up"),
    _("Mean change"),
    _("95% CI lower"),
    _("95% CI upper"),
    _("Effect size (d_z)"),
    _("Improved"),
    _("No meaningful change"),
    _("Worse"),
    _("Improved (%)"),
]


def _instrument(code: str, rows: list[dict], *, exact: bool) -> Instrument:
    instrument = INSTRUMENTS[code]
    columns = dict(SCORE_COLUMNS[code])
    scores, change, charts = [], [], []
    for key, label in MEASURES[code]:
        measured = _score_rows(rows, columns[key], label, exact=exact)
        scores += measured
        change += _change_rows(rows, code, key, columns[key], label, exact=exact)
        charts.append(_chart(measured, label))
    return Instrument(
        code=code,
        name=instrument.name,
        notice=instrument.notice,
        scores=Table(
            slug=f"scores-{code}",
            title=str(instrument.name),
            columns=SCORE_COLUMNS_SHOWN,
            rows=scores,
            numeric_from=3,
        ),
        change=Table(
            slug=f"change-{code}",
            title=str(instrument.name),
            columns=CHANGE_COLUMNS,
            rows=change,
            numeric_from=2,
        ),
        charts=charts,
    )


NETWORK_COLUMNS = [
    _("Time point"),
    _("Group"),
    _("People with network answers"),
    _("Mean network size"),
    _("Mean bonding ties"),
    _("Mean bridging ties"),
    _("Mean E–I index"),
]
NETWORK_POINTS = (BEFORE, AFTER)


def _network_row(point: str, group: str, parts: dict[str, list[dict]], n, *, exact: bool):
    def mean(key):
        values = {
            name: [m[key] for m in members if m[key] is not None] for name, members in parts.items()
        }
        if group == ALL:
            return union_mean_shown(values, exact=exact)
        return mean_shown(values[group], exact=exact)

    keys = ("size", "bonding", "bridging", "ei_index")
    means = [mean(key) for key in keys]
    means[-1] = _rounded(means[-1], 2) if isinstance(means[-1], float) else means[-1]
    return [TimePoint(point).label, GROUP_LABELS[group], n, *means]


def _network(participants, *, exact: bool) -> Table:
    measures = networks.ego_measures_all(participants=participants)
    table = Table(
        slug="network",
        title=str(_("Network measures before and after")),
        columns=NETWORK_COLUMNS,
        numeric_from=2,
    )
    for point in NETWORK_POINTS:
        parts = {TENANT: [], SANCTUARY: [], OTHER: []}
        for (at, _participant), found in measures.items():
            if at == point:
                parts[found["group"] or OTHER].append(found)
        if not any(parts.values()):
            continue
        counts = row_shown({name: len(members) for name, members in parts.items()}, exact=exact)
        for group in GROUPS:
            n = counts.total if group == ALL else counts.cells[group]
            table.rows.append(_network_row(point, group, parts, n, exact=exact))
    return table


SOCIOGRAM_COLUMNS = [_("Code"), _("Group"), _("Ties to other participants")]


def _sociogram(point: str, participants) -> dict:
    graph = networks.participant_graph(time_point=point, participants=participants)
    drawing = networks.sociogram(graph)
    label = TimePoint(point).label
    table = Table(
        slug=f"sociogram-{point}".replace("_", "-"),
        title=str(_("Participants in the network at %(time_point)s") % {"time_point": label}),
        columns=SOCIOGRAM_COLUMNS,
        numeric_from=2,
        rows=[
            [node["code"], networks.GROUP_LABELS[node["group"]], node["degree"]]
            for node in drawing["nodes"]
        ],
    )
    share = drawing["bridging_share"]
    return {
        "time_point": point,
        "label": label,
        "drawing": drawing,
        "bridging_percent": None if share is None else round(share * 100),
        "table": table,
    }


def report(*, participants, exact: bool) -> Report:
    """The evaluation report of `participants` (a queryset: those of the sites the reader
    reaches, core.sites), disclosure-controlled unless `exact` (coordinators). A fixed
    number of queries however many participants there are."""
    rows = outcome_rows(participants)
    return Report(
        instruments=[_instrument(code, rows, exact=exact) for code in INSTRUMENTS],
        network=_network(participants, exact=exact),
        sociograms=[_sociogram(point, participants) for point in NETWORK_POINTS],
        exact=exact,
    )


def is_figure(value) -> bool:
    """A number (not a flag), for charts and alignment."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
