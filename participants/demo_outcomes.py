"""Demo outcomes: what the 50 demo participants answered at baseline, midpoint and follow-up,
and whom they named in the name generator. Made up, but shaped like the change the evaluation
looks for: wellbeing (SWEMWBS) below the Welsh mean at baseline and up 2–3 points at follow-up,
loneliness falling, and networks that gain bridging ties between tenants and people seeking
sanctuary, many of them to other participants met at a workshop or at a place on the map.

Deterministic (`random.Random(2026)`). Answers go through `response_record` and
`network_record`, so they are scored and audited like real ones; an answer that would not change
is not written again, so a second run changes nothing and adds nothing to the audit log."""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import fmean

from django.contrib.auth import get_user_model

from .demo import COUNT, DEMO_USER_CODE
from .instruments import INSTRUMENTS
from .models import ConsentScope, Participant, QuestionnaireResponse, Tie, TieFormed
from .services import network_record, response_record

BASELINE, MIDPOINT, FOLLOW_UP = "baseline", "midpoint", "follow_up"
COORDINATOR = "coordinator"  # made by core.demo
LATEST = date(2026, 11, 22)  # the demo's "today": nothing is completed after it
ITEM_SCORED = ("swemwbs", "ons4", "ucla3", "loneliness_direct", "community", "brs", "gse")
DROPOUTS = 10  # no follow-up: 40 of 50 stay
MIDPOINT_STAYERS, MIDPOINT_DROPOUTS = 26, 4  # 30 answer at midpoint, a few before leaving
PAIRS = 20  # tenant–sanctuary pairs who got to know each other through the project
MISSING_CHANCE = 0.06  # a response with one item unanswered, so missing-item rules show
# SWEMWBS raw score: mean and spread at baseline (metric ≈ 19.6, below Wales's ≈ 24), and the
# change by follow-up (≈ +2.5 metric on average, about 40 % improving by 3 points or more).
WELLBEING, WELLBEING_SPREAD = 21.5, 2.2
CHANGE, CHANGE_SPREAD = 3.0, 3.2
# How far the programme has run at each time point, for outcomes that move with it.
PROGRESS = {BASELINE: 0.0, MIDPOINT: 0.5, FOLLOW_UP: 1.0}
# Community places on the demo map (assets/data/demo_assets.json) where people met. The ties
# name them; assets' demo links each tie to its place (assets.demo.tie_places_seed), so that
# participants never names a higher app.
MEETING_PLACES = (
    "Tuesday Conversation Club",
    "Community Choir",
    "Mayhill Community Garden",
    "Sunday League Football",
)
# Who people name before the project: (group, relationship, weight). Mostly bonding ties.
KNOWN_BEFORE = {
    False: (  # tenants
        ("tenant", "family", 3),
        ("tenant", "neighbour", 3),
        ("tenant", "friend", 3),
        ("professional", "professional", 1),
        ("other", "work_study", 1),
        ("sanctuary", "neighbour", 0.3),
    ),
    True: (  # people seeking sanctuary
        ("sanctuary", "friend", 3),
        ("sanctuary", "family", 2),
        ("sanctuary", "faith", 2),
        ("professional", "professional", 2),
        ("other", "family", 1),
        ("tenant", "neighbour", 0.3),
    ),
}
CLOSENESS = {
    "family": (2, 3, 3),
    "friend": (2, 2, 3),
    "faith": (1, 2, 3),
    "neighbour": (1, 1, 2),
    "professional": (1, 1, 2),
    "work_study": (1, 2),
    "workshop": (1, 1, 2),
}


@dataclass(frozen=True)
class Person:
    """A demo participant's made-up course through the programme."""

    code: str
    sanctuary: bool
    joined_on: date
    wellbeing: dict[str, float]  # SWEMWBS raw score, unrounded, at each time point
    resilience: float  # the BRS mean they tend to give
    efficacy: float  # the GSE item answer they tend to give

    @property
    def group(self) -> str:
        return "sanctuary" if self.sanctuary else "tenant"

    def z(self, time_point: str) -> float:
        return (self.wellbeing[time_point] - WELLBEING) / WELLBEING_SPREAD

    def gain(self, time_point: str) -> float:
        return self.z(time_point) - self.z(BASELINE)


@dataclass
class Visit:
    """One person's answers at one time point; contacts name other participants by code."""

    code: str
    time_point: str
    completed_on: date
    answers: dict[str, dict]
    contacts: list[dict] = field(default_factory=list)


def seed() -> list[str]:
    demo = Participant.objects.filter(code__in=_codes()).select_related("user")
    participants = {participant.code: participant for participant in demo}
    # Planned for all of them, so the answers stay the same whoever is left out below.
    visits = plan(list(participants.values()))
    consenting = demo.filter(
        consents__scope=ConsentScope.TAKE_PART, consents__withdrawn_on__isnull=True
    )
    codes = {participant.code for participant in consenting}
    visits = [visit for visit in visits if visit.code in codes]
    coordinator = get_user_model().objects.filter(username=COORDINATOR).first()
    stored = _Stored(consenting)
    for visit in visits:
        participant = participants[visit.code]
        by = coordinator
        if visit.code == DEMO_USER_CODE and visit.time_point == FOLLOW_UP and participant.user:
            by = participant.user  # the demo "participant" sign-in answered for themselves
        _write(visit, participant, by=by, participants=participants, stored=stored)
    return [_summary(visits, consenting)]


def _codes() -> list[str]:
    return [f"P-{number:03d}" for number in range(1, COUNT + 1)]


def tie_places() -> list[tuple[str, str, str, str]]:
    """(code, time point, code of the participant named, place) of every demo tie formed at a
    place on the map, for assets' demo to link (the same plan `seed` wrote)."""
    demo = Participant.objects.filter(code__in=_codes())
    return [
        (visit.code, visit.time_point, contact["alter"], contact["place"])
        for visit in plan(list(demo))
        for contact in visit.contacts
        if contact.get("place")
    ]


# --- The plan: pure, so the same participants always give the same answers -----------------


def plan(participants: list[Participant]) -> list[Visit]:
    """Every visit of every demo participant, in code order."""
    rng = random.Random(2026)
    people = _people(sorted(participants, key=lambda p: p.code), rng)
    follow_up, midpoint = _attendance(people, rng)
    met = _pairs([p for p in people if p.code in follow_up], rng)
    visits = []
    for person in people:
        before = _known_before(person, rng)
        for time_point, completed_on in _schedule(person, follow_up, midpoint, rng):
            answers = {code: _answers(code, person, time_point, rng) for code in ITEM_SCORED}
            contacts = _network(person, time_point, before, met[person.code], rng)
            visits.append(Visit(person.code, time_point, completed_on, answers, contacts))
    return visits


def _people(participants: list[Participant], rng: random.Random) -> list[Person]:
    draws = [
        (rng.gauss(WELLBEING, WELLBEING_SPREAD), rng.gauss(CHANGE, CHANGE_SPREAD))
        for _participant in participants
    ]
    # Centred, so the demo shows the intended averages however the draws happen to fall.
    lift = WELLBEING - fmean(baseline for baseline, _change in draws)
    boost = CHANGE - fmean(change for _baseline, change in draws)
    return [
        _person(participant, baseline + lift, change + boost, rng)
        for participant, (baseline, change) in zip(participants, draws, strict=True)
    ]


def _person(participant: Participant, baseline: float, change: float, rng) -> Person:
    z = (baseline - WELLBEING) / WELLBEING_SPREAD
    return Person(
        code=participant.code,
        sanctuary=participant.is_sanctuary,
        joined_on=participant.joined_on or date(2026, 1, 12),
        wellbeing={
            BASELINE: baseline,
            MIDPOINT: baseline + change * rng.uniform(0.3, 0.7),
            FOLLOW_UP: baseline + change,
        },
        resilience=rng.gauss(3.0, 0.4) + 0.15 * z,
        efficacy=rng.gauss(2.75, 0.25) + 0.1 * z,
    )


def _attendance(people: list[Person], rng: random.Random) -> tuple[set[str], set[str]]:
    """Who answers at follow-up and at midpoint. People seeking sanctuary are likelier to
    leave (moved on by a decision or dispersal); P-001, the demo sign-in, stays."""
    leaving = sorted(
        (rng.random() * (1.6 if person.sanctuary else 1.0), person.code)
        for person in people
        if person.code != DEMO_USER_CODE
    )
    dropouts = sorted(code for _chance, code in leaving[-DROPOUTS:])
    stayers = sorted(person.code for person in people if person.code not in dropouts)
    midpoint = rng.sample(stayers, min(MIDPOINT_STAYERS, len(stayers)))
    midpoint += rng.sample(dropouts, min(MIDPOINT_DROPOUTS, len(dropouts)))
    return set(stayers), set(midpoint)


def _schedule(person, follow_up, midpoint, rng) -> list[tuple[str, date]]:
    """Baseline on the day they joined, midpoint about 3 months on, follow-up about 6."""
    mid = person.joined_on + timedelta(days=91 + rng.randint(0, 14))
    end = person.joined_on + timedelta(days=182 + rng.randint(0, 21))
    visits = [(BASELINE, person.joined_on)]
    visits += [(MIDPOINT, min(mid, LATEST))] if person.code in midpoint else []
    visits += [(FOLLOW_UP, min(end, LATEST))] if person.code in follow_up else []
    return visits


# --- Answers ---------------------------------------------------------------------------


def _answers(code: str, person: Person, time_point: str, rng: random.Random) -> dict:
    answers = ANSWERERS[code](person, time_point, rng)
    if rng.random() < MISSING_CHANCE:
        answers[rng.choice(sorted(answers))] = None
    return answers


def _keys(code: str) -> list[str]:
    return [item.key for item in INSTRUMENTS[code].items]


def _clamp(value: float, low: int, high: int) -> int:
    return min(max(round(value), low), high)


def _spread(total: int, count: int, low: int, high: int, rng: random.Random) -> list[int]:
    """`count` answers from `low` to `high` that add up to `total`."""
    values = [low] * count
    for _ in range(total - low * count):
        values[rng.choice([i for i, value in enumerate(values) if value < high])] += 1
    return values


def _ucla3_total(person: Person, time_point: str, rng: random.Random) -> int:
    lonely = 6.3 if person.sanctuary else 5.1
    return _clamp(
        lonely - 0.45 * person.z(time_point) - 0.2 * PROGRESS[time_point] + rng.gauss(0, 0.8), 3, 9
    )


def _swemwbs(person, time_point, rng):
    raw = _clamp(person.wellbeing[time_point], 7, 35)
    return dict(zip(_keys("swemwbs"), _spread(raw, 7, 1, 5, rng), strict=True))


def _ons4(person, time_point, rng):
    z, progress = person.z(time_point), PROGRESS[time_point]
    anxious = 4.9 if person.sanctuary else 4.1
    means = {
        "ons4_satisfaction": (5.6 + 0.4 * z + 0.2 * progress, 1.1),
        "ons4_worthwhile": (6.2 + 0.35 * z + 0.2 * progress, 1.1),
        "ons4_happiness": (5.8 + 0.4 * z + 0.2 * progress, 1.4),
        "ons4_anxiety": (anxious - 0.4 * z - 0.2 * progress, 1.7),
    }
    return {key: _clamp(rng.gauss(mean, sd), 0, 10) for key, (mean, sd) in means.items()}


def _ucla3(person, time_point, rng):
    total = _ucla3_total(person, time_point, rng)
    return dict(zip(_keys("ucla3"), _spread(total, 3, 1, 3, rng), strict=True))


def _loneliness_direct(person, time_point, rng):
    # 1 is "often/always", 5 "never": the mirror of the UCLA-3 total, loosely.
    total = _ucla3_total(person, time_point, rng)
    return {"lonely_how_often": _clamp(5 - (total - 3) * 4 / 6 + rng.gauss(0, 0.6), 1, 5)}


def _community(person, time_point, rng):
    lift = 0.1 * person.z(time_point) + 0.2 * PROGRESS[time_point]
    means = {
        "community_belong": 2.8 if person.sanctuary else 3.4,
        "community_get_on": 3.1,
        "community_respect": 3.0,
    }
    return {key: _clamp(mean + lift + rng.gauss(0, 0.7), 1, 5) for key, mean in means.items()}


def _brs(person, time_point, rng):
    tends = person.resilience + 0.07 * person.gain(time_point)
    # Reverse-worded items (2, 4, 6) are answered the other way round.
    return {
        item.key: item.scored(_clamp(tends + rng.gauss(0, 0.6), 1, 5))
        for item in INSTRUMENTS["brs"].items
    }


def _gse(person, time_point, rng):
    tends = person.efficacy + 0.05 * person.gain(time_point)
    return {key: _clamp(tends + rng.gauss(0, 0.55), 1, 4) for key in _keys("gse")}


ANSWERERS = {
    "swemwbs": _swemwbs,
    "ons4": _ons4,
    "ucla3": _ucla3,
    "loneliness_direct": _loneliness_direct,
    "community": _community,
    "brs": _brs,
    "gse": _gse,
}


# --- Networks --------------------------------------------------------------------------


def _contact(group, relationship, rng, formed=TieFormed.BEFORE, **extra) -> dict:
    closeness = rng.choice(CLOSENESS.get(relationship, (1, 2)))
    contact = {"group": group, "relationship": relationship, "closeness": closeness}
    return {**contact, "formed": formed, **extra}


def _known_before(person: Person, rng: random.Random) -> list[dict]:
    """The baseline network: 2–7 contacts, nearly all from the person's own group."""
    kinds = KNOWN_BEFORE[person.sanctuary]
    weights = [weight for _group, _relationship, weight in kinds]
    picked = rng.choices(kinds, weights=weights, k=rng.randint(2, 7))
    return [_contact(group, relationship, rng) for group, relationship, _weight in picked]


def _pairs(people: list[Person], rng) -> dict[str, list]:
    """Tenant–sanctuary pairs (each person in at most two) who met through the project:
    code → [(contact, known by midpoint)] for whoever names the other; some name each other."""
    combos = [(t, s) for t in people if not t.sanctuary for s in people if s.sanctuary]
    rng.shuffle(combos)
    degree, met = Counter(), defaultdict(list)
    for pair in combos:
        if degree.total() >= 2 * PAIRS or any(degree[person.code] >= 2 for person in pair):
            continue
        degree.update(person.code for person in pair)
        both_ways, one_way = rng.random() < 0.4, rng.random() < 0.5
        namers = [pair, pair[::-1]] if both_ways else [pair if one_way else pair[::-1]]
        place = rng.choice(MEETING_PLACES) if rng.random() < 0.25 else None
        early = rng.random() < 0.4
        for namer, alter in namers:
            contact = _contact(
                alter.group,
                "friend" if place else "workshop",
                rng,
                formed=TieFormed.ASSET if place else TieFormed.WORKSHOP,
                place=place,
                alter=alter.code,
            )
            met[namer.code].append((contact, early))
    return met


def _network(person, time_point, before, met, rng) -> list[dict]:
    """Later networks keep most earlier contacts and add ties across the two groups: to other
    participants, and to people met at workshops or around the neighbourhood."""
    if time_point == BASELINE:
        return before
    later = time_point == FOLLOW_UP
    other = "tenant" if person.sanctuary else "sanctuary"
    ways = [
        ("workshop", TieFormed.WORKSHOP),
        ("neighbour", TieFormed.ELSEWHERE),
        ("friend", TieFormed.ELSEWHERE),
    ]
    new = [
        _contact(other, relationship, rng, formed=formed)
        for relationship, formed in rng.choices(
            ways, k=rng.randint(1, 2) if later else rng.randint(0, 1)
        )
    ]
    if later and rng.random() < 0.5:  # someone from their own group, met at a workshop
        new.append(_contact(person.group, "workshop", rng, formed=TieFormed.WORKSHOP))
    alters = [contact for contact, early in met if later or early]
    kept = [contact for contact in before if rng.random() < (0.85 if later else 0.9)]
    contacts = (alters + new + kept)[: 9 if later else 8]  # old acquaintances drop off first
    while len(contacts) < (3 if later else 2):
        contacts.append(_contact(person.group, "friend", rng, formed=TieFormed.ELSEWHERE))
    return contacts


# --- Writing ---------------------------------------------------------------------------


# What makes two ties the same, whatever their primary keys.
TIE_FIELDS = ("alter_id", "alter_group", "relationship", "closeness", "formed")


class _Stored:
    """What earlier runs left, so an unchanged answer is not written (and audited) again."""

    def __init__(self, participants):
        self.responses = {
            (r.participant_id, r.instrument, r.time_point): r
            for r in QuestionnaireResponse.objects.filter(participant__in=participants)
        }
        self.ties = defaultdict(list)
        for tie in Tie.objects.filter(participant__in=participants).order_by("pk"):
            row = tuple(getattr(tie, name) for name in TIE_FIELDS)
            self.ties[tie.participant_id, tie.time_point].append(row)

    def same(self, participant, instrument, time_point, answers, by, fields) -> bool:
        row = self.responses.get((participant.pk, instrument, time_point))
        return (
            row is not None
            and row.answers == answers
            and row.scores == INSTRUMENTS[instrument].score(answers)
            and row.recorded_by_id == (by.pk if by else None)
            and all(getattr(row, name) == value for name, value in fields.items())
        )


def _write(visit: Visit, participant, *, by, participants, stored: _Stored) -> None:
    language = participant.preferred_language
    fields = {
        "completed_on": visit.completed_on,
        "language": language if language in ("cy", "en") else "en",
        "interpreter_used": participant.interpreter_needed,
    }
    where = {"participant": participant, "time_point": visit.time_point}
    for instrument, answers in visit.answers.items():
        if not stored.same(participant, instrument, visit.time_point, answers, by, fields):
            response_record(instrument=instrument, answers=answers, by=by, **where, **fields)
    contacts = [{**c, "alter": participants.get(c.get("alter"))} for c in visit.contacts]
    described = [{k: c[k] for k in ("group", "relationship", "closeness")} for c in contacts]
    rows = [
        (
            getattr(c["alter"], "pk", None),
            c["group"],
            c["relationship"],
            c["closeness"],
            c["formed"],
        )
        for c in contacts
    ]
    answered = {"contacts": described}
    if not stored.same(participant, "network", visit.time_point, answered, by, fields) or (
        stored.ties[participant.pk, visit.time_point] != rows
    ):
        network_record(contacts=contacts, by=by, **where, **fields)


def _summary(visits: list[Visit], participants) -> str:
    counts = Counter(visit.time_point for visit in visits)
    metric = defaultdict(list)
    for time_point, scores in QuestionnaireResponse.objects.filter(
        participant__in=participants, instrument="swemwbs"
    ).values_list("time_point", "scores"):
        if scores.get("metric") is not None:
            metric[time_point].append(scores["metric"])
    means = " → ".join(
        f"{fmean(metric[tp]):.1f}" if metric[tp] else "–" for tp in (BASELINE, FOLLOW_UP)
    )
    return (
        f"Demo outcomes: {counts[BASELINE]} baseline, {counts[FOLLOW_UP]} follow-up, "
        f"{counts[MIDPOINT]} midpoint; mean SWEMWBS {means}"
    )
