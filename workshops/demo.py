"""Demo workshops: six over six months at Townhill and Mayhill and two in Butetown and
Grangetown, each with a register of its site's people, the assets and barriers people named,
and the actions they agreed (some done, some overdue)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from assets.geo import areas_for_points
from assets.models import Asset
from core.demo import CARDIFF, CARDIFF_COORDINATOR, SWANSEA
from core.models import Site
from participants.models import Participant
from workshops.models import (
    Action,
    ActionStatus,
    Attendance,
    Barrier,
    BarrierAreas,
    Workshop,
    WorkshopStatus,
)
from workshops.versions import workshops_changed

LONDON = ZoneInfo("Europe/London")

# (title, theme, date, venue, support, languages, attendee codes (every nth), held by)
WORKSHOPS = [
    ("What is already good here?", "Mapping our neighbourhood", date(2026, 1, 20),
     "Townhill Community Centre", ["childcare", "food"], ["ar", "ti"], 1, "facilitator"),
    ("Getting around", "Transport and getting to places", date(2026, 2, 17),
     "Mayhill Community Hall", ["travel", "food"], ["ar", "fa"], 2, "facilitator"),
    ("Finding out what's on", "Information and language", date(2026, 3, 17),
     "Townhill Library", ["childcare"], ["ar", "ti", "fa"], 1, "facilitator"),
    ("Feeling safe and welcome", "Safety and belonging", date(2026, 4, 21),
     "Waun Wen Neighbourhood Hub", ["childcare", "food", "interpreting"], ["ar", "ckb"], 2,
     "facilitator"),
    ("Food, growing and sharing", "Food and green space", date(2026, 5, 19),
     "Townhill Community Centre", ["food"], ["ar", "so"], 1, "coordinator"),
    ("What we did together", "Looking back and planning", date(2026, 6, 16),
     "Mayhill Community Hall", ["childcare", "travel", "food"], ["ar", "ti", "fa"], 1,
     "coordinator"),
]  # fmt: skip

# (workshop index, title, kind, affects, votes, (lat, lng) or None)
BARRIERS = [
    (0, "Not knowing what groups exist", "information", "both", 14, None),
    (0, "Cost of activities", "cost", "both", 9, None),
    (1, "The hill and the last bus at 6pm", "transport", "both", 16, (51.6303, -3.9571)),
    (1, "Bus fares on asylum support", "cost", "sanctuary", 11, None),
    (2, "Leaflets only in English", "language", "both", 12, None),
    (2, "No free Wi-Fi at home", "digital", "both", 7, None),
    (3, "Dark underpass on Pentregethin Road", "safety", "both", 13, (51.6318, -3.9620)),
    (3, "Being stared at in the shop", "safety", "sanctuary", 6, None),
    (4, "Allotment waiting list", "housing", "tenants", 5, (51.6262, -3.9512)),
    (5, "No childcare at evening sessions", "childcare", "both", 10, None),
]  # fmt: skip

# (workshop index, title, barrier indexes, asset names, owner, due (days after), status)
ACTIONS = [
    (0, "A shared, bilingual list of groups at the library", [0], ["Townhill Library"],
     "Library staff and two volunteers", 45, ActionStatus.DONE),
    (1, "Ask the bus operator for a later service up the hill", [2],
     ["Townhill Community Centre"], "Tenants' association", 60, ActionStatus.IN_PROGRESS),
    (1, "Walking buddies from the bus stop to sessions", [2, 3], ["Tuesday Conversation Club"],
     "Conversation club volunteers", 30, ActionStatus.DONE),
    (2, "Welcome sheet in Arabic, Tigrinya, Farsi and Welsh", [4], ["Townhill Library"],
     "Project coordinator", 40, ActionStatus.AGREED),
    (3, "Ask the council to light the underpass", [6], [], "Councillor surgery group", 30,
     ActionStatus.AGREED),
    (4, "Share plots between new and old growers", [8], [], "Allotment committee", 90,
     ActionStatus.IN_PROGRESS),
    (5, "Crèche at evening workshops", [9], ["Townhill Community Centre"], "Project coordinator",
     120, ActionStatus.AGREED),
]  # fmt: skip


CARDIFF_WORKSHOPS = [
    ("Butetown: what is already good here?", "Mapping our neighbourhood", date(2026, 2, 24),
     "Butetown Community Centre", ["childcare", "food"], ["so", "ar"], 1, CARDIFF_COORDINATOR),
    ("Grangetown: getting about", "Transport and getting to places", date(2026, 3, 31),
     "Grangetown Hub", ["travel"], ["ar", "ti"], 1, CARDIFF_COORDINATOR),
]  # fmt: skip
CARDIFF_BARRIERS = [
    (0, "No one knows the hall can be booked", "information", "both", 8, None),
    (1, "Crossing the main road to the bay", "safety", "both", 9, (51.4680, -3.1680)),
    (1, "Bus pass forms only online", "digital", "sanctuary", 5, None),
]  # fmt: skip
CARDIFF_ACTIONS = [
    (0, "Booking leaflet in Somali, Arabic and Welsh", [0], ["Butetown Community Centre"],
     "Cardiff coordinator", 30, ActionStatus.IN_PROGRESS),
    (1, "Ask for a crossing patrol at school times", [1], [], "Residents' group", 45,
     ActionStatus.AGREED),
]  # fmt: skip


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


def seed() -> list[str]:
    hosts = ["facilitator", "coordinator", CARDIFF_COORDINATOR]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=hosts)}
    assets = {
        a.name: a
        for a in Asset.objects.filter(
            source__in=["coordinator", "participant", "workshop", "import"]
        )
    }
    return [
        _seed_site(SWANSEA, WORKSHOPS, BARRIERS, ACTIONS, assets=assets, users=users),
        _seed_site(
            CARDIFF,
            CARDIFF_WORKSHOPS,
            CARDIFF_BARRIERS,
            CARDIFF_ACTIONS,
            assets=assets,
            users=users,
        ),
    ]


def _seed_site(slug, workshop_rows, barrier_rows, action_rows, *, assets, users) -> str:
    site = Site.objects.get(slug=slug)
    people = list(Participant.objects.active().filter(site=site).order_by("code"))
    workshops = [
        _workshop(row, workshop_rows, site, assets, users, people) for row in workshop_rows
    ]
    barriers = [_barrier(row, workshops) for row in barrier_rows]
    for row in action_rows:
        _action(row, workshops, barriers, assets)
    return (
        f"Demo workshops at {site.name_en}: {len(workshops)} with {len(barriers)} barriers "
        f"and {len(action_rows)} actions"
    )


def _workshop(row, rows, site, assets, users, people) -> Workshop:
    title, theme, day, venue, support, languages, step, host = row
    workshop, _ = Workshop.objects.update_or_create(
        title=title,
        defaults={
            "site": site,
            "theme": theme,
            "starts_at": _at(day, 18),
            "ends_at": _at(day, 20),
            "venue": assets.get(venue),
            "support": support,
            "languages": languages,
            "status": WorkshopStatus.HELD,
            "notes": "",
        },
    )
    if host in users:
        workshop.facilitators.set([users[host]])
    offset = rows.index(row) % 3
    # Every few people miss each one; the list alternates tenants and sanctuary seekers, so
    # every register has both groups.
    attending = [p for i, p in enumerate(people) if (i * 7 + offset) % (step + 2)][:22]
    present = set(workshop.attendance.values_list("participant_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(workshop=workshop, participant=p) for p in attending if p.pk not in present
    )
    workshops_changed()  # bulk_create sends no signal
    return workshop


def _barrier(row, workshops) -> Barrier:
    index, title, kind, affects, votes, point = row
    geometry = {"type": "Point", "coordinates": [point[1], point[0]]} if point else None
    [(lsoa, msoa, la)] = areas_for_points([point]) if point else [(None, None, None)]
    barrier, _ = Barrier.objects.update_or_create(
        title=title,
        defaults={
            "workshop": workshops[index],
            "site": workshops[index].site,
            "kind": kind,
            "affects": affects,
            "priority_votes": votes,
            "geometry": geometry,
            "latitude": point[0] if point else None,
            "longitude": point[1] if point else None,
        },
    )
    BarrierAreas.objects.update_or_create(
        barrier=barrier, defaults={"lsoa_id": lsoa, "msoa_id": msoa, "local_authority_id": la}
    )
    return barrier


def _action(row, workshops, barriers, assets) -> None:
    index, title, barrier_indexes, asset_names, owner, due_days, status = row
    workshop = workshops[index]
    action, _ = Action.objects.update_or_create(
        title=title,
        defaults={
            "workshop": workshop,
            "site": workshop.site,
            "owner": owner,
            "due_on": workshop.starts_at.date() + timedelta(days=due_days),
            "status": status,
            "outcome": "Done: see the notes from the last workshop." if status == "done" else "",
        },
    )
    action.barriers.set([barriers[i] for i in barrier_indexes])
    action.assets.set([assets[name] for name in asset_names if name in assets])
    workshop.assets_identified.add(*[assets[name] for name in asset_names if name in assets])
