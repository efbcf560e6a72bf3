"""Questionnaire scores in plain words, for the participant's own page (and the coordinator's
view of it): "How satisfied you are with your life: 7 out of 10 (high)", never
``ons4_satisfaction_band: high``. Every label and sentence is translated (Welsh in the
catalogue); the stored scores stay as they are."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.instruments import BAND_LABELS, INSTRUMENTS, Score
from participants.vocabularies import ContactGroup


@dataclass(frozen=True)
class Line:
    """One thing to say about a response: a label and its value, both in words."""

    label: str | Promise
    value: str


ONS4_LABELS = {
    "ons4_satisfaction": gettext_lazy("How satisfied you are with your life"),
    "ons4_worthwhile": gettext_lazy("How worthwhile the things you do feel"),
    "ons4_happiness": gettext_lazy("How happy you felt yesterday"),
    "ons4_anxiety": gettext_lazy("How anxious you felt yesterday (lower is better)"),
}
COMMUNITY_LABELS = {
    "community_belong": gettext_lazy("I belong to my local area"),
    "community_get_on": gettext_lazy("People from different backgrounds get on well here"),
    "community_respect": gettext_lazy("People here treat each other with respect"),
}


def _number(value: Score) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value)


def _out_of(value: Score, top: int) -> str:
    return _("%(value)s out of %(top)s") % {"value": _number(value), "top": top}


def _with_band(text: str, band: str | None) -> str:
    return f"{text} ({str(BAND_LABELS[band]).lower()})" if band in BAND_LABELS else text


def _not_scored(needed: str | Promise) -> list[Line]:
    return [Line(gettext_lazy("Score"), str(needed))]


def _swemwbs(scores: dict, answers: dict) -> list[Line]:
    if scores.get("metric") is None:
        return _not_scored(_("No score: it needs an answer to all 7 questions."))
    text = _out_of(scores["metric"], 35)
    return [
        Line(gettext_lazy("Wellbeing score"), text),
        Line(
            gettext_lazy("What it means"), _("From 7 to 35: a higher score means better wellbeing.")
        ),
    ]


def _ons4(scores: dict, answers: dict) -> list[Line]:
    return [
        Line(label, _with_band(_out_of(scores[key], 10), scores.get(f"{key}_band")))
        for key, label in ONS4_LABELS.items()
        if scores.get(key) is not None
    ]


def _ucla3(scores: dict, answers: dict) -> list[Line]:
    if scores.get("total") is None:
        return _not_scored(_("No score: it needs an answer to all 3 questions."))
    return [
        Line(gettext_lazy("Loneliness score"), _out_of(scores["total"], 9)),
        Line(gettext_lazy("What it means"), _("From 3 to 9: a lower score means less lonely.")),
    ]


def _loneliness_direct(scores: dict, answers: dict) -> list[Line]:
    (item,) = INSTRUMENTS["loneliness_direct"].items
    value = answers.get(item.key)
    if value is None:
        return _not_scored(_("You did not answer this question."))
    return [Line(gettext_lazy("How often you feel lonely"), str(item.label_for(value)))]


def _community(scores: dict, answers: dict) -> list[Line]:
    items = {item.key: item for item in INSTRUMENTS["community"].items}
    return [
        Line(label, str(items[key].label_for(answers[key])))
        for key, label in COMMUNITY_LABELS.items()
        if answers.get(key) is not None
    ]


def _brs(scores: dict, answers: dict) -> list[Line]:
    if scores.get("mean") is None:
        return _not_scored(_("No score: it needs an answer to all 6 questions."))
    return [
        Line(
            gettext_lazy("Resilience score"),
            _with_band(_out_of(scores["mean"], 5), scores.get("band")),
        ),
        Line(
            gettext_lazy("What it means"),
            _("From 1 to 5: a higher score means you bounce back more easily."),
        ),
    ]


def _gse(scores: dict, answers: dict) -> list[Line]:
    if scores.get("total") is None:
        return _not_scored(_("No score: it needs an answer to at least 7 of the 10 questions."))
    return [
        Line(gettext_lazy("Confidence score"), _out_of(scores["total"], 40)),
        Line(
            gettext_lazy("What it means"),
            _("From 10 to 40: a higher score means more confidence in dealing with problems."),
        ),
    ]


def _network(scores: dict, answers: dict) -> list[Line]:
    lines = [Line(gettext_lazy("People named"), _number(scores.get("size") or 0))]
    for group, label in ContactGroup.choices:
        if count := scores.get(f"group_{group}"):
            lines.append(Line(label, _number(count)))
    return lines


EXPLAINERS = {
    "swemwbs": _swemwbs,
    "ons4": _ons4,
    "ucla3": _ucla3,
    "loneliness_direct": _loneliness_direct,
    "community": _community,
    "brs": _brs,
    "gse": _gse,
    "network": _network,
}


def response_explained(response) -> list[Line]:
    """What one questionnaire response says, in words: labelled values, then how many
    questions were left out (if any)."""
    scores, answers = response.scores or {}, response.answers or {}
    lines = EXPLAINERS[response.instrument](scores, answers)
    if missing := scores.get("missing"):
        lines.append(
            Line(
                gettext_lazy("Questions left out"),
                _number(missing),
            )
        )
    return lines
