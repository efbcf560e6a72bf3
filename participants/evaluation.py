"""The evaluation's pseudonymised outcome dataset, its data dictionary and the summary the
evaluation page shows (DESIGN §5, §6; docs/evaluation.md).

One row per participant per time point with any answers or ties: the pseudonymous code and
coarse profile, every instrument's scores flattened into fixed columns, and the ego-network
measures. Never names, contact details, "known as" names or free text. A fixed number of
queries however many participants there are.
"""

import csv
import io
import secrets
from collections import Counter, defaultdict
from datetime import date
from functools import cache

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.pagecache import PersonRead
from core.spreadsheets import neutralise as neutralised
from participants import instruments as inst
from participants.disclosure import (
    MIN_GROUP_FOR_MEAN,
    mean_shown,
    row_shown,
    sees_exact_numbers,
)
from participants.instruments import INSTRUMENTS, TIME_POINTS, swemwbs_change
from participants.models import (
    DataAccessAgreement,
    Participant,
    ParticipantStatus,
    QuestionnaireResponse,
    TimePoint,
)
from participants.networks import (
    COHORT_GROUPS,
    GROUP_LABELS,
    OTHER,
    cohort_group,
    ego_measures_all,
)

PROFILE_COLUMNS = ("code", "cohort", "age_band", "gender", "time_point", "completed_on")
ANONYMOUS_PREFIX = "anon-"
EGO_COLUMNS = ("bonding", "bridging", "ei_index", "via_workshop", "via_asset", "to_participants")


def _score_columns() -> dict[str, list[tuple[str, str]]]:
    """Per instrument, (score key, column) for every key its scores have — found by scoring
    no answers, which every instrument does with all keys present. Keys already named after
    the instrument (ons4_satisfaction) keep their name; others get its code in front."""
    return {
        code: [
            (key, key if key.startswith(f"{code}_") else f"{code}_{key}")
            for key in instrument.score({})
        ]
        for code, instrument in INSTRUMENTS.items()
    }


SCORE_COLUMNS = _score_columns()
COLUMNS = (
    *PROFILE_COLUMNS,
    *(column for pairs in SCORE_COLUMNS.values() for _key, column in pairs),
    *EGO_COLUMNS,
)

# Formulas start with these in Excel, LibreOffice and Google Sheets (OWASP "CSV injection").

_MISSING = _("Number of the instrument's items not answered")
_ITEMS = _("whole number of items")
_COUNT = _("whole number of contacts")
_YES_NO = _("1 = yes, 0 = no; blank when not scored")
_ONS4_BANDS = _("low (0–4), medium (5–6), high (7–8), very_high (9–10)")
_AGREE = _("1 strongly disagree … 5 strongly agree")
_PROFILE = _("Participant record")
_TIES = _("Social network ties (name generator)")
_SWEMWBS_SOURCE = format_lazy("{}. {}", inst.SWEMWBS.name, inst.SWEMWBS_NOTICE)

DATA_DICTIONARY: list[tuple[str, object, object, object]] = [
    ("code", _("Pseudonymous participant code"), _("text such as P-017"), _PROFILE),
    (
        "cohort",
        _("Group the participant is in"),
        _("tenant, asylum_seeker, refugee, other"),
        _PROFILE,
    ),
    ("age_band", _("Age band"), _("16-24, 25-34, 35-49, 50-64, 65+; blank if not given"), _PROFILE),
    (
        "gender",
        _("Gender"),
        _("woman, man, non_binary, other, not_said; blank if not given"),
        _PROFILE,
    ),
    ("time_point", _("When the answers were given"), _("baseline, midpoint, follow_up"), _PROFILE),
    (
        "completed_on",
        _("Latest date on which a questionnaire was completed at this time point"),
        _("date, YYYY-MM-DD; blank when only ties were recorded"),
        _PROFILE,
    ),
    ("swemwbs_raw", _("SWEMWBS raw score: sum of the 7 items"), _("7–35"), _SWEMWBS_SOURCE),
    (
        "swemwbs_metric",
        _("SWEMWBS metric score (Rasch conversion of the raw score)"),
        _("7.00–35.00; blank if any item is missing"),
        _SWEMWBS_SOURCE,
    ),
    ("swemwbs_missing", _MISSING, _ITEMS, _SWEMWBS_SOURCE),
    ("ons4_satisfaction", _("Life satisfaction"), _("0–10"), inst.ONS4.name),
    ("ons4_satisfaction_band", _("Life satisfaction, ONS band"), _ONS4_BANDS, inst.ONS4.name),
    (
        "ons4_worthwhile",
        _("Feeling that things done in life are worthwhile"),
        _("0–10"),
        inst.ONS4.name,
    ),
    ("ons4_worthwhile_band", _("Worthwhile, ONS band"), _ONS4_BANDS, inst.ONS4.name),
    ("ons4_happiness", _("Happiness yesterday"), _("0–10"), inst.ONS4.name),
    ("ons4_happiness_band", _("Happiness, ONS band"), _ONS4_BANDS, inst.ONS4.name),
    ("ons4_anxiety", _("Anxiety yesterday (higher is worse)"), _("0–10"), inst.ONS4.name),
    (
        "ons4_anxiety_band",
        _("Anxiety, ONS band"),
        _("very_low (0–1), low (2–3), medium (4–5), high (6–10)"),
        inst.ONS4.name,
    ),
    ("ons4_missing", _MISSING, _ITEMS, inst.ONS4.name),
    (
        "ucla3_total",
        _("UCLA loneliness total (higher is lonelier)"),
        _("3–9; blank if any item is missing"),
        inst.UCLA3.name,
    ),
    ("ucla3_lonely", _("UCLA total of 6 or more"), _YES_NO, inst.UCLA3.name),
    ("ucla3_missing", _MISSING, _ITEMS, inst.UCLA3.name),
    (
        "loneliness_direct_value",
        _("How often the person feels lonely"),
        _("1 often/always, 2 some of the time, 3 occasionally, 4 hardly ever, 5 never"),
        inst.LONELINESS_DIRECT.name,
    ),
    (
        "loneliness_direct_label",
        _("The same answer in words (English)"),
        _("Often/always, Some of the time, Occasionally, Hardly ever, Never"),
        inst.LONELINESS_DIRECT.name,
    ),
    ("loneliness_direct_missing", _MISSING, _ITEMS, inst.LONELINESS_DIRECT.name),
    ("community_belong", _("I belong to my local area"), _AGREE, inst.COMMUNITY.name),
    (
        "community_get_on",
        _("People from different backgrounds get on well together here"),
        _AGREE,
        inst.COMMUNITY.name,
    ),
    (
        "community_respect",
        _("People here treat each other with respect and consideration"),
        _AGREE,
        inst.COMMUNITY.name,
    ),
    (
        "community_mean",
        _("Mean of the three sense-of-community items"),
        _("1.00–5.00; blank if any item is missing"),
        inst.COMMUNITY.name,
    ),
    ("community_missing", _MISSING, _ITEMS, inst.COMMUNITY.name),
    (
        "brs_mean",
        _("Brief Resilience Scale score: mean of the 6 items, 2, 4 and 6 reversed"),
        _("1.00–5.00; blank if any item is missing"),
        inst.BRS.name,
    ),
    (
        "brs_band",
        _("Resilience band (Smith et al.)"),
        _("low (below 3.00), normal (3.00–4.30), high (above 4.30)"),
        inst.BRS.name,
    ),
    ("brs_missing", _MISSING, _ITEMS, inst.BRS.name),
    (
        "gse_total",
        _("General Self-Efficacy total (with gaps: mean of answered items × 10)"),
        _("10.0–40.0; blank if more than 3 items are missing"),
        inst.GSE.name,
    ),
    ("gse_missing", _MISSING, _ITEMS, inst.GSE.name),
    ("network_size", _("Contacts named (up to 10)"), _("0–10"), inst.NETWORK.name),
    (
        "network_group_tenant",
        _("Contacts who are social housing tenants"),
        _COUNT,
        inst.NETWORK.name,
    ),
    (
        "network_group_sanctuary",
        _("Contacts who are people seeking sanctuary"),
        _COUNT,
        inst.NETWORK.name,
    ),
    ("network_group_professional", _("Contacts who are professionals"), _COUNT, inst.NETWORK.name),
    ("network_group_other", _("Contacts in another group"), _COUNT, inst.NETWORK.name),
    ("bonding", _("Ties to contacts in the participant's own group"), _COUNT, _TIES),
    (
        "bridging",
        _("Ties between a tenant and a person seeking sanctuary"),
        _COUNT,
        _TIES,
    ),
    (
        "ei_index",
        _("E–I index (Krackhardt and Stern 1988): (bridging − bonding) ÷ (bridging + bonding)"),
        _("−1 (all bonding) to +1 (all bridging), 3 decimal places; blank without either"),
        _TIES,
    ),
    ("via_workshop", _("Ties that formed through a workshop"), _COUNT, _TIES),
    ("via_asset", _("Ties that formed through a place or group on the map"), _COUNT, _TIES),
    ("to_participants", _("Ties to other participants in the project"), _COUNT, _TIES),
]


def _profiles(participant_ids) -> dict[int, dict]:
    fields = ("id", "code", "cohort", "age_band", "gender", "status")
    return {
        row["id"]: row
        for row in Participant.objects.filter(pk__in=participant_ids).order_by().values(*fields)
    }


def _cells(participants) -> dict[tuple[int, str], dict]:
    """Scores and ego measures keyed by (participant id, time point), of `participants` (a
    queryset) or everyone (None). Three queries."""
    cells: dict[tuple[int, str], dict] = defaultdict(dict)
    responses = QuestionnaireResponse.objects.order_by()
    if participants is not None:
        responses = responses.filter(participant__in=participants)
    responses = responses.values_list(
        "participant_id", "time_point", "completed_on", "instrument", "scores"
    )
    for participant_id, time_point, completed_on, instrument, scores in responses:
        cell = cells[(participant_id, time_point)]
        cell["completed_on"] = max(completed_on, cell.get("completed_on") or completed_on)
        for key, column in SCORE_COLUMNS.get(instrument, ()):
            cell[column] = scores.get(key)
    for (time_point, participant_id), measures in ego_measures_all(
        participants=participants
    ).items():
        cell = cells[(participant_id, time_point)]
        cell.update({column: measures[column] for column in EGO_COLUMNS})
        if cell["ei_index"] is not None:
            cell["ei_index"] = round(cell["ei_index"], 3)
    return cells


def anonymous_code() -> str:
    """A code for one anonymised row: random, new in every row and every download, so it
    links the row to nothing."""
    return f"{ANONYMOUS_PREFIX}{secrets.token_hex(4)}"


def _rows(participants=None) -> list[dict]:
    """Every row (of `participants`, a queryset, or everyone) with its true profile. Rows kept
    under consent to share anonymised answers after the person withdrew are marked
    "anonymised" and already carry no code."""
    cells = _cells(participants)
    profiles = _profiles({participant_id for participant_id, _point in cells})
    rows = []
    for (participant_id, time_point), cell in cells.items():
        profile = profiles[participant_id]
        row = dict.fromkeys(COLUMNS)
        row.update({name: profile[name] for name in ("code", "cohort", "age_band", "gender")})
        row.update(cell, time_point=time_point)
        row["anonymised"] = profile["status"] == ParticipantStatus.WITHDRAWN
        if row["anonymised"]:
            row["code"] = anonymous_code()
        rows.append(row)
    return rows


def outcome_rows(participants=None) -> list[dict]:
    """Every row of the dataset (of `participants`, a queryset, or everyone) for the
    evaluation report (indicators): COLUMNS plus "group" (tenant, sanctuary or other, from
    the true cohort) and "pair" (the participant's code, to pair time points; None for rows
    kept anonymised after someone withdrew, which pair with nothing). Never leaves the
    server as rows: the report shows only disclosure-controlled figures of them."""
    rows = _rows(participants)
    for row in rows:
        row["group"] = cohort_group(row["cohort"]) or OTHER
        row["pair"] = None if row["anonymised"] else row["code"]
    return rows


def _cell_key(row: dict) -> tuple[str, str]:
    return row["time_point"], cohort_group(row["cohort"]) or OTHER


def _coarsen(rows: list[dict], *, which) -> None:
    """Coarsen the profile of the rows `which` picks, in place, judged against all `rows`:
    the cohort becomes its group (tenant, sanctuary, other), the date its month, and age
    band and gender are kept only where every part they split the row's time point and
    group into has MIN_GROUP_FOR_MEAN rows or more — gender only on top of age band — so no
    mean over fewer people can be worked out from the file."""
    cells = defaultdict(list)
    for row in rows:
        cells[_cell_key(row)].append(row)
    kept = {}
    for key, members in cells.items():
        columns = []
        for column in ("age_band", "gender"):
            parts = Counter(tuple(row[c] for c in (*columns, column)) for row in members)
            if min(parts.values()) >= MIN_GROUP_FOR_MEAN:
                columns.append(column)
        kept[key] = columns
    for row in rows:
        if not which(row):
            continue
        key = _cell_key(row)
        for column in ("age_band", "gender"):
            if column not in kept[key]:
                row[column] = None
        row["cohort"] = key[1]
        if row["completed_on"] is not None:
            row["completed_on"] = f"{row['completed_on']:%Y-%m}"


def _in_order(rows: list[dict]) -> list[dict]:
    """By code and time point; anonymised rows last, in random order within a time point."""
    return sorted(
        rows,
        key=lambda row: (
            row["anonymised"],
            "" if row["anonymised"] else row["code"],
            TIME_POINTS.index(row["time_point"]),
            row["code"],
        ),
    )


def dataset_rows(*, full: bool = True, participants=None) -> list[dict]:
    """One row per participant per time point with any answers or ties, keyed by COLUMNS
    (and "anonymised"), in code and time-point order; of `participants` (a queryset: those
    of the sites the reader reaches, core.sites) or, with None, of everyone.

    full=True — the pseudonymised dataset (coordinators; evaluators with a current
    data-access agreement): codes, cohorts, age bands, gender and dates as recorded.
    full=False — the coarsened dataset (every other evaluator): no codes (a random one per
    row), cohort as group, dates as months, age band and gender only where that does not
    single out fewer than MIN_GROUP_FOR_MEAN people, and no rows at all for a time point
    and group of fewer than MIN_GROUP_FOR_MEAN people, whose figures the page does not show.

    In both, rows kept after someone withdrew (they consented to share anonymised answers)
    are anonymised like the coarsened dataset's rows; erasure removed everyone else's.
    """
    rows = _rows(participants)
    if full:
        _coarsen(rows, which=lambda row: row["anonymised"])
        return _in_order(rows)
    sizes = Counter(_cell_key(row) for row in rows)
    rows = [row for row in rows if sizes[_cell_key(row)] >= MIN_GROUP_FOR_MEAN]
    for row in rows:
        row["code"] = anonymous_code()
        row["anonymised"] = True
    _coarsen(rows, which=lambda row: True)
    return _in_order(rows)


def sees_full_dataset(user, *, exact: bool | None = None) -> bool:
    """Coordinators (`exact`, if already known), and evaluators with a current data-access
    agreement."""
    exact = sees_exact_numbers(user) if exact is None else exact
    return exact or DataAccessAgreement.objects.current().filter(evaluator=user).exists()


@cache
def _agreement_sql() -> str:
    meta = DataAccessAgreement._meta
    evaluator, revoked = (meta.get_field(name).column for name in ("evaluator", "revoked_at"))
    return (
        f"SELECT {meta.pk.column} AS v FROM {meta.db_table}"
        f" WHERE {evaluator} = %s AND {revoked} IS NULL"
    )


# sees_full_dataset for a kept page, read in the page's one query (core.pagecache).
FULL_DATASET = PersonRead(
    "full-dataset", _agreement_sql, lambda user, rows: sees_exact_numbers(user) or bool(rows)
)


def csv_cell(value) -> str | int | float:
    """A value as a CSV cell: blank for None, 1/0 for yes/no, numbers as numbers (a negative
    E–I index stays a number), ISO dates, and any text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return neutralised(str(value))


def _csv(header, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(str(name)) for name in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue()


def dataset_csv(*, full: bool = True, participants=None) -> str:
    """The dataset as CSV text (no byte-order mark: the download adds it); see dataset_rows."""
    rows = dataset_rows(full=full, participants=participants)
    return _csv(COLUMNS, ([row[column] for column in COLUMNS] for row in rows))


def data_dictionary_csv() -> str:
    """The data dictionary as CSV text, in the active language."""
    header = (_("column"), _("meaning"), _("values"), _("source"))
    return _csv(header, ([str(cell) for cell in entry] for entry in DATA_DICTIONARY))


def _change(rows: list[dict], *, exact: bool) -> dict:
    """How many of these rows' participants improved, did not change meaningfully or got
    worse on SWEMWBS between baseline and follow-up, with how many have both scores: one
    breakdown with its total, disclosure-controlled unless `exact`."""
    metric = {(row["code"], row["time_point"]): row["swemwbs_metric"] for row in rows}
    changes = Counter(
        swemwbs_change(before, after)
        for (code, point), before in metric.items()
        if point == TimePoint.BASELINE
        and before is not None
        and (after := metric.get((code, TimePoint.FOLLOW_UP))) is not None
    )
    shown = row_shown(
        {
            "improved": changes["improved"],
            "no_change": changes["no meaningful change"],
            "worse": changes["worse"],
        },
        exact=exact,
    )
    return {"paired": shown.total, **shown.cells}


def _numbers(rows: list[dict], column: str) -> list[float]:
    return [row[column] for row in rows if row[column] is not None]


def _means(rows: list[dict], *, exact: bool) -> dict:
    return {
        "swemwbs_mean": mean_shown(_numbers(rows, "swemwbs_metric"), exact=exact),
        "ucla3_mean": mean_shown(_numbers(rows, "ucla3_total"), exact=exact),
        "ei_mean": mean_shown(_numbers(rows, "ei_index"), exact=exact),
    }


def summary(*, exact: bool, participants=None) -> dict:
    """The evaluation page's figures, disclosure-controlled unless `exact` (coordinators), of
    `participants` (a queryset) or everyone.

    "time_points": for each time point with any data, per cohort group (tenants, people
    seeking sanctuary) how many participants have answers or ties, and their mean SWEMWBS
    metric score, UCLA total and E–I index. "change": per group, SWEMWBS change from
    baseline to follow-up. Groups always come in COHORT_GROUPS order.
    """
    by_group = defaultdict(list)
    for row in _rows(participants):
        by_group[cohort_group(row["cohort"]) or OTHER].append(row)
    time_points = []
    for time_point in TIME_POINTS:
        cells = {
            group: [row for row in by_group[group] if row["time_point"] == time_point]
            for group in GROUP_LABELS
        }
        if any(cells[group] for group in COHORT_GROUPS):
            # Everyone at the time point is one breakdown, "other" included, as the rules want.
            people = row_shown({group: len(rows) for group, rows in cells.items()}, exact=exact)
            groups = [
                {
                    "group": group,
                    "group_label": GROUP_LABELS[group],
                    "n": people.cells[group],
                    **_means(cells[group], exact=exact),
                }
                for group in COHORT_GROUPS
            ]
            label = TimePoint(time_point).label
            time_points.append({"time_point": time_point, "label": label, "groups": groups})
    change = [
        {
            "group": group,
            "group_label": GROUP_LABELS[group],
            **_change(by_group[group], exact=exact),
        }
        for group in COHORT_GROUPS
    ]
    return {"time_points": time_points, "change": change}
