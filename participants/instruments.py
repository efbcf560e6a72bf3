"""Outcome instruments (DESIGN §5): wording, answer scales and scoring rules, as data.

Pure Python: no models, no other app. A questionnaire form renders `Instrument.items`; the
response model stores the answers and `Instrument.score(answers)`. Answers are
``{item_key: int | None}``; an absent key and ``None`` both mean "not answered". Every
`score` returns a flat dict with fixed keys, so computed scores are plain JSON, and the
published missing-item rule decides whether a score is given (``None`` when it is not).

Item wording is English wrapped in `gettext_lazy`: the Welsh comes from the catalogue and
should be the instrument's validated Welsh version where one exists, not a fresh translation.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from participants.vocabularies import ContactGroup, Domain, TimePoint

Score = float | int | str | None
Answers = dict[str, int | None]

DOMAINS = tuple(Domain.values)
TIME_POINTS = tuple(TimePoint.values)

# Machine values of the bands that scores return; show them through BAND_LABELS.
BAND_LABELS = {
    "very_low": _("Very low"),
    "low": _("Low"),
    "medium": _("Medium"),
    "normal": _("Normal"),
    "high": _("High"),
    "very_high": _("Very high"),
}


@dataclass(frozen=True)
class Option:
    value: int
    label: str | Promise


@dataclass(frozen=True)
class Item:
    key: str
    text: str | Promise
    options: tuple[Option, ...]
    reverse: bool = False

    @property
    def lowest(self) -> int:
        return min(option.value for option in self.options)

    @property
    def highest(self) -> int:
        return max(option.value for option in self.options)

    @property
    def choices(self) -> list[tuple[int, str | Promise]]:
        return [(option.value, option.label) for option in self.options]

    def check(self, value: object) -> int | None:
        """The answer if it is one of this item's options (or None); ValueError otherwise."""
        if value is None:
            return None
        allowed = {option.value for option in self.options}
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise ValueError(
                f"{self.key}: {value!r} is not an allowed answer; "
                f"use a whole number from {self.lowest} to {self.highest}."
            )
        return value

    def scored(self, value: int) -> int:
        """The value that counts towards the score: reversed items run the other way."""
        return self.lowest + self.highest - value if self.reverse else value

    def label_for(self, value: int) -> str | Promise:
        return next(option.label for option in self.options if option.value == value)


Scorer = Callable[["Instrument", Answers], dict[str, Score]]


@dataclass(frozen=True, kw_only=True)
class Instrument:
    code: str
    name: str | Promise
    domain: str
    items: tuple[Item, ...]
    notice: str | Promise | None = None
    stem: str | Promise | None = None
    source: str = ""
    scorer: Scorer = field(repr=False, compare=False)

    def score(self, answers: Answers) -> dict[str, Score]:
        """Validate the answers and score them by this instrument's published rule."""
        return self.scorer(self, self.clean(answers))

    def clean(self, answers: Answers) -> Answers:
        """Every item key mapped to its checked answer; ValueError for unknown keys or values."""
        by_key = {item.key: item for item in self.items}
        unknown = sorted(set(answers) - set(by_key))
        if unknown:
            raise ValueError(
                f"Unknown item {unknown[0]!r} for {self.code}; the items are {', '.join(by_key)}."
            )
        return {key: item.check(answers.get(key)) for key, item in by_key.items()}


def _options(*labels: str | Promise) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in enumerate(labels, start=1))


def _items(
    prefix: str,
    options: tuple[Option, ...],
    texts: Iterable[str | Promise],
    reverse: frozenset[int] = frozenset(),
) -> tuple[Item, ...]:
    """Items keyed ``<prefix>_1``, ``<prefix>_2``…; numbers in `reverse` are reverse-scored."""
    return tuple(
        Item(f"{prefix}_{number}", text, options, reverse=number in reverse)
        for number, text in enumerate(texts, start=1)
    )


def _scored(instrument: Instrument, answers: Answers) -> tuple[list[int], int]:
    """The scored values of the answered items, and how many items are missing."""
    values = [
        item.scored(answers[item.key]) for item in instrument.items if answers[item.key] is not None
    ]
    return values, len(instrument.items) - len(values)


def _rounded(value: Fraction, places: int) -> float:
    """Round half up (as SPSS does), not Python's round-half-to-even on binary floats."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _band(value: float, bands: tuple[tuple[float, str], ...]) -> str:
    """The first band whose upper bound (inclusive) the value does not exceed."""
    return next(name for upper, name in bands if value <= upper)


def _source_text(label: str | Promise) -> str:
    """The English wording of a label whatever language is active, so stored scores agree."""
    with translation.override(None):
        return str(label)


# --- SWEMWBS -----------------------------------------------------------------------------

SWEMWBS_NOTICE = _(
    "SWEMWBS © NHS Health Scotland, University of Warwick and University of Edinburgh, "
    "2008, all rights reserved."
)
# Raw→metric conversion: Stewart-Brown et al. 2009 Rasch table, as published by Warwick.
SWEMWBS_METRIC = dict(
    zip(
        range(7, 36),
        (7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36)
        + (16.88, 17.43, 17.98, 18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21)
        + (24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00),
        strict=True,
    )
)
# About 3 metric points is a meaningful change for an individual (DESIGN §5, Warwick guidance).
SWEMWBS_MEANINGFUL_CHANGE = 3
CHANGE_LABELS = {
    "improved": _("Improved"),
    "no meaningful change": _("No meaningful change"),
    "worse": _("Worse"),
}


def _score_swemwbs(instrument: Instrument, answers: Answers) -> dict[str, Score]:
    # Warwick scoring guidance: no score if any of the 7 items is missing.
    values, missing = _scored(instrument, answers)
    if missing:
        return {"raw": None, "metric": None, "missing": missing}
    raw = sum(values)
    return {"raw": raw, "metric": SWEMWBS_METRIC[raw], "missing": 0}


def swemwbs_change(before: float, after: float) -> str:
    """How one person's SWEMWBS metric score moved between two time points.

    "improved" for a rise of 3 points or more, "worse" for a fall of 3 or more, else
    "no meaningful change" (labels in CHANGE_LABELS). Both must be metric scores (7–35).
    """
    for score in (before, after):
        if score is None or not 7 <= score <= 35:
            raise ValueError(f"SWEMWBS metric scores run from 7 to 35, not {score!r}.")
    difference = round(after - before, 2)  # table values have 2 dp; avoid 2.9999…
    if difference >= SWEMWBS_MEANINGFUL_CHANGE:
        return "improved"
    if difference <= -SWEMWBS_MEANINGFUL_CHANGE:
        return "worse"
    return "no meaningful change"


SWEMWBS = Instrument(
    code="swemwbs",
    name=_("Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)"),
    domain="individual",
    stem=_(
        "Below are some statements about feelings and thoughts. Please tick the box that best "
        "describes your experience of each over the last 2 weeks"
    ),
    items=_items(
        "swemwbs",
        _options(
            _("None of the time"),
            _("Rarely"),
            _("Some of the time"),
            _("Often"),
            _("All of the time"),
        ),
        (
            _("I've been feeling optimistic about the future"),
            _("I've been feeling useful"),
            _("I've been feeling relaxed"),
            _("I've been dealing with problems well"),
            _("I've been thinking clearly"),
            _("I've been feeling close to other people"),
            _("I've been able to make up my own mind about things"),
        ),
    ),
    notice=SWEMWBS_NOTICE,
    source="Stewart-Brown S et al. (2009) Health Qual Life Outcomes 7:15",
    scorer=_score_swemwbs,
)

# --- ONS4 personal wellbeing ---------------------------------------------------------------

# ONS thresholds for personal well-being; anxiety runs the other way (higher is worse).
ONS4_BANDS = ((4, "low"), (6, "medium"), (8, "high"), (10, "very_high"))
ONS4_ANXIETY_BANDS = ((1, "very_low"), (3, "low"), (5, "medium"), (10, "high"))
ONS4_SCALE = (
    Option(0, _("Not at all")),
    *(Option(value, str(value)) for value in range(1, 10)),
    Option(10, _("Completely")),
)


def _score_ons4(instrument: Instrument, answers: Answers) -> dict[str, Score]:
    # ONS: the four measures are reported separately, never summed; a gap affects that item only.
    result: dict[str, Score] = {}
    for item in instrument.items:
        value = answers[item.key]
        bands = ONS4_ANXIETY_BANDS if item.key == "ons4_anxiety" else ONS4_BANDS
        result[item.key] = value
        result[f"{item.key}_band"] = None if value is None else _band(value, bands)
    result["missing"] = sum(value is None for value in answers.values())
    return result


ONS4 = Instrument(
    code="ons4",
    name=_("ONS personal wellbeing (ONS4)"),
    domain="individual",
    stem=_(
        "Next I would like to ask you four questions about your feelings on aspects of your "
        "life. There are no right or wrong answers. For each of these questions I'd like you "
        "to give an answer on a scale of 0 to 10, where 0 is “not at all” and 10 is "
        "“completely”."
    ),
    items=(
        Item(
            "ons4_satisfaction",
            _("Overall, how satisfied are you with your life nowadays?"),
            ONS4_SCALE,
        ),
        Item(
            "ons4_worthwhile",
            _(
                "Overall, to what extent do you feel that the things you do "
                "in your life are worthwhile?"
            ),
            ONS4_SCALE,
        ),
        Item("ons4_happiness", _("Overall, how happy did you feel yesterday?"), ONS4_SCALE),
        Item(
            "ons4_anxiety",
            _(
                "On a scale where 0 is “not at all anxious” and 10 is "
                "“completely anxious”, overall, how anxious did you feel "
                "yesterday?"
            ),
            ONS4_SCALE,
        ),
    ),
    source="ONS harmonised standard: personal well-being",
    scorer=_score_ons4,
)

# --- Loneliness: UCLA 3-item and the ONS direct question -----------------------------------

# Total 6–9 counted as lonely: a commonly used cut-off for the 3–9 scale (convention, not a
# threshold set by Hughes et al. 2004); ONS guidance recommends the scale and its coding.
UCLA3_LONELY_FROM = 6


def _score_ucla3(instrument: Instrument, answers: Answers) -> dict[str, Score]:
    # Hughes et al. 2004 / ONS: the sum of the three items; no total if any is missing.
    values, missing = _scored(instrument, answers)
    if missing:
        return {"total": None, "lonely": None, "missing": missing}
    total = sum(values)
    return {"total": total, "lonely": total >= UCLA3_LONELY_FROM, "missing": 0}


UCLA3 = Instrument(
    code="ucla3",
    name=_("UCLA 3-item loneliness scale"),
    domain="community",
    stem=_(
        "The next questions are about how you feel about different aspects of your life. For "
        "each one, tell me how often you feel that way."
    ),
    items=_items(
        "ucla3",
        _options(_("Hardly ever or never"), _("Some of the time"), _("Often")),
        (
            _("How often do you feel that you lack companionship?"),
            _("How often do you feel left out?"),
            _("How often do you feel isolated from others?"),
        ),
    ),
    source="Hughes ME et al. (2004) Res Aging 26:655; ONS (2018) Measuring loneliness",
    scorer=_score_ucla3,
)


def _score_loneliness_direct(instrument: Instrument, answers: Answers) -> dict[str, Score]:
    # ONS direct measure: a single item reported as its category; missing gives no value.
    (item,) = instrument.items
    value = answers[item.key]
    if value is None:
        return {"value": None, "label": None, "missing": 1}
    return {"value": value, "label": _source_text(item.label_for(value)), "missing": 0}


LONELINESS_DIRECT = Instrument(
    code="loneliness_direct",
    name=_("How often do you feel lonely? (ONS direct question)"),
    domain="community",
    items=(
        Item(
            "lonely_how_often",
            _("How often do you feel lonely?"),
            _options(
                _("Often/always"),
                _("Some of the time"),
                _("Occasionally"),
                _("Hardly ever"),
                pgettext_lazy("how often", "Never"),
            ),
        ),
    ),
    source="ONS (2018) Measuring loneliness: guidance for use of the national indicators",
    scorer=_score_loneliness_direct,
)

# --- Sense of community (National Survey for Wales) ----------------------------------------


def _score_community(instrument: Instrument, answers: Answers) -> dict[str, Score]:
    # Project rule (DESIGN §5): report each item; the mean only when all three are answered.
    values, missing = _scored(instrument, answers)
    mean = None if missing else _rounded(Fraction(sum(values), len(values)), 2)
    return {**answers, "mean": mean, "missing": missing}


AGREEMENT = _options(
    _("Strongly disagree"),
    _("Tend to disagree"),
    _("Neither agree nor disagree"),
    _("Tend to agree"),
    _("Strongly agree"),
)

COMMUNITY = Instrument(
    code="community",
    name=_("Sense of community (National Survey for Wales)"),
    domain="community",
    stem=_("To what extent do you agree or disagree that…"),
    items=(
        Item("community_belong", _("I belong to my local area"), AGREEMENT),
        Item(
            "community_get_on",
            _(
                "This local area is a place where people from different "
                "backgrounds get on well together"
            ),
            AGREEMENT,
        ),
        Item(
            "community_respect",
            _(
                "This local area is a place where people treat each other "
                "with respect and consideration"
            ),
            AGREEMENT,
        ),
    ),
    source="Welsh Government, National Survey for Wales (community cohesion questions)",
    scorer=_score_community,
)

# --- Brief Resilience Scale ----------------------------------------------------------------

# Smith et al. 2013 (p.177) interpretation of the mean: low, normal, high.
BRS_BANDS = ((2.99, "low"), (4.30, "normal"), (5.00, "high"))
# Smith's scoring sheet divides by the number of items answered; this project is stricter and
# scores only complete answers, so means compare like with like across time points.
BRS_REQUIRED = 6


def _score_brs(instrument: Instrument, answers: Answers) -> dict[str, Score]:
    # Smith et al. 2008: reverse items 2, 4, 6 (6 − x) and take the mean of the six.
    values, missing = _scored(instrument, answers)
    if len(values) < BRS_REQUIRED:
        return {"mean": None, "band": None, "missing": missing}
    mean = _rounded(Fraction(sum(values), len(values)), 2)
    return {"mean": mean, "band": _band(mean, BRS_BANDS), "missing": missing}


BRS = Instrument(
    code="brs",
    name=_("Brief Resilience Scale"),
    domain="individual",
    stem=_("Please indicate the extent to which you agree with each of the following statements."),
    items=_items(
        "brs",
        _options(
            _("Strongly disagree"), _("Disagree"), _("Neutral"), _("Agree"), _("Strongly agree")
        ),
        (
            _("I tend to bounce back quickly after hard times"),
            _("I have a hard time making it through stressful events"),
            _("It does not take me long to recover from a stressful event"),
            _("It is hard for me to snap back when something bad happens"),
            _("I usually come through difficult times with little trouble"),
            _("I tend to take a long time to get over set-backs in my life"),
        ),
        reverse=frozenset({2, 4, 6}),
    ),
    source="Smith BW et al. (2008) Int J Behav Med 15:194",
    scorer=_score_brs,
)

# --- General Self-Efficacy Scale -----------------------------------------------------------

# Schwarzer's GSE FAQ: score as long as no more than three of the ten items are missing.
GSE_MAX_MISSING = 3


def _score_gse(instrument: Instrument, answers: Answers) -> dict[str, Score]:
    # Schwarzer & Jerusalem 1995: sum 10–40; with gaps, mean of answered items × 10 (1 dp).
    values, missing = _scored(instrument, answers)
    if missing > GSE_MAX_MISSING:
        return {"total": None, "missing": missing}
    return {"total": _rounded(Fraction(sum(values) * 10, len(values)), 1), "missing": missing}


GSE = Instrument(
    code="gse",
    name=_("General Self-Efficacy Scale"),
    domain="individual",
    items=_items(
        "gse",
        _options(_("Not at all true"), _("Hardly true"), _("Moderately true"), _("Exactly true")),
        (
            _("I can always manage to solve difficult problems if I try hard enough."),
            _("If someone opposes me, I can find the means and ways to get what I want."),
            _("It is easy for me to stick to my aims and accomplish my goals."),
            _("I am confident that I could deal efficiently with unexpected events."),
            _("Thanks to my resourcefulness, I know how to handle unforeseen situations."),
            _("I can solve most problems if I invest the necessary effort."),
            _(
                "I can remain calm when facing difficulties because I can rely on my coping "
                "abilities."
            ),
            _("When I am confronted with a problem, I can usually find several solutions."),
            _("If I am in trouble, I can usually think of a solution."),
            _("I can usually handle whatever comes my way."),
        ),
    ),
    source="Schwarzer R, Jerusalem M (1995) Generalized Self-Efficacy scale, NFER-NELSON",
    scorer=_score_gse,
)

# --- Social network name generator ---------------------------------------------------------

MAX_CONTACTS = 10
GROUPS = tuple(ContactGroup.choices)
RELATIONSHIPS = (
    ("family", _("Family")),
    ("friend", _("Friend")),
    ("neighbour", _("Neighbour")),
    ("workshop", _("Met at a workshop")),
    ("faith", _("Faith community")),
    ("work_study", _("Work or study")),
    ("professional", _("Professional")),
    ("other", _("Other")),
)
CLOSENESS = ((1, _("Not very close")), (2, _("Quite close")), (3, _("Very close")))
CONTACT_FIELDS = {"group": GROUPS, "relationship": RELATIONSHIPS, "closeness": CLOSENESS}


def _check_contact(number: int, contact: object) -> None:
    if not isinstance(contact, dict) or set(contact) != set(CONTACT_FIELDS):
        raise ValueError(
            f"network contact {number}: give exactly {', '.join(CONTACT_FIELDS)}; got {contact!r}."
        )
    for name, choices in CONTACT_FIELDS.items():
        allowed = [value for value, _label in choices]
        value = contact[name]
        if value not in allowed or type(value) is not type(allowed[0]):
            raise ValueError(
                f"network contact {number} {name}: {value!r} is not allowed; "
                f"use one of {', '.join(map(str, allowed))}."
            )


@dataclass(frozen=True, kw_only=True)
class NetworkInstrument(Instrument):
    """The name generator is the one instrument whose answers are not ``{item: int}``.

    Its answers are ``{"contacts": [{"group", "relationship", "closeness"}, ...]}`` (at most
    MAX_CONTACTS), and `items` holds only the per-contact closeness question for forms.
    """

    def score(self, answers: dict[str, list[dict]]) -> dict[str, Score]:
        """Network size and contacts per group; network measures (E–I index…) live elsewhere."""
        if set(answers) - {"contacts"}:
            raise ValueError('network answers take one key, "contacts": a list of contacts.')
        contacts = answers.get("contacts") or []
        if not isinstance(contacts, list) or len(contacts) > MAX_CONTACTS:
            raise ValueError(f"network contacts: give a list of up to {MAX_CONTACTS} contacts.")
        for number, contact in enumerate(contacts, start=1):
            _check_contact(number, contact)
        counts = Counter(contact["group"] for contact in contacts)
        return {"size": len(contacts), **{f"group_{g}": counts[g] for g, _label in GROUPS}}


def _not_item_scored(instrument: Instrument, answers: Answers) -> dict[str, Score]:
    raise TypeError("The network instrument scores contacts: call NetworkInstrument.score.")


NETWORK = NetworkInstrument(
    code="network",
    name=_("Social network"),
    domain="community",
    stem=_(
        "Think of up to 10 people you have been in touch with over the last 3 months who matter "
        "to you or who you could ask for help. Do not give their names."
    ),
    items=(
        Item(
            "network_closeness",
            _("How close do you feel to this person?"),
            tuple(Option(value, label) for value, label in CLOSENESS),
        ),
    ),
    scorer=_not_item_scored,
)

INSTRUMENTS: dict[str, Instrument] = {
    instrument.code: instrument
    for instrument in (SWEMWBS, ONS4, UCLA3, LONELINESS_DIRECT, COMMUNITY, BRS, GSE, NETWORK)
}
