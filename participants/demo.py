"""Demo participants: 50 synthetic people at the demo site, about half social housing tenants
and half people seeking sanctuary, each with consent and (encrypted) made-up contact details.
Every name, phone number (Ofcom's 01632 drama range) and address here is invented. The demo
"participant" sign-in is P-001. A dozen more take part at the second demo site, in Cardiff
(P-201 onwards). Deterministic, so running it twice gives the same data."""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from core.demo import CARDIFF, SWANSEA
from core.models import Site

from .models import (
    Cohort,
    Consent,
    ConsentMethod,
    ConsentScope,
    InformationSheet,
    Participant,
    ParticipantStatus,
    PersonalDetails,
)

DEMO_USER = "participant"  # made by core.demo
DEMO_USER_CODE = "P-001"
COUNT = 50

TENANT_NAMES = [
    ("Gwen", "Rees"), ("Dai", "Morgan"), ("Sian", "Price"), ("Kelly", "Evans"), ("Rhys", "Jenkins"),
    ("Bethan", "Howells"), ("Lee", "Thomas"), ("Carys", "Bevan"), ("Wayne", "Lewis"),
    ("Nia", "Griffiths"), ("Tracey", "Harris"), ("Owain", "Powell"), ("Leanne", "Hughes"),
    ("Gareth", "Davies"), ("Ffion", "Jones"), ("Craig", "Williams"), ("Megan", "Phillips"),
    ("Darren", "Roberts"), ("Elin", "Watkins"), ("Jason", "Parry"), ("Ceri", "Walters"),
    ("Mandy", "Richards"), ("Aled", "Pritchard"), ("Lisa", "Owen"), ("Huw", "Mathias"),
]  # fmt: skip
SANCTUARY_NAMES = [
    ("Amal", "Haddad", "ar"), ("Dawit", "Tesfaye", "ti"), ("Shirin", "Ahmadi", "fa"),
    ("Karwan", "Aziz", "ckb"), ("Hana", "Mohamed", "so"), ("Yonas", "Gebre", "ti"),
    ("Laila", "Rahimi", "ps"), ("Omar", "Khalil", "ar"), ("Zainab", "Hussein", "ar"),
    ("Reza", "Karimi", "fa"), ("Selam", "Haile", "am"), ("Ahmed", "Nour", "ar"),
    ("Parisa", "Sadeghi", "fa"), ("Bilal", "Qureshi", "ur"), ("Rojin", "Baran", "kmr"),
    ("Mariam", "Yousef", "ar"), ("Abdi", "Warsame", "so"), ("Nasrin", "Hosseini", "fa"),
    ("Samuel", "Bekele", "am"), ("Olena", "Kovalenko", "uk"), ("Farid", "Noori", "ps"),
    ("Huda", "Saleh", "ar"), ("Tesfay", "Berhe", "ti"), ("Sara", "Mahmoud", "ar"),
    ("Dilan", "Ozturk", "kmr"),
]  # fmt: skip
STREETS = ["Townhill Road", "Graig Road", "Pentregethin Road", "Mayhill Road", "Gwynedd Avenue"]
# The Cardiff site: (first, last, cohort, language), as invented as the rest.
CARDIFF_PEOPLE = [
    ("Kerry", "Bowen", Cohort.TENANT, "en"), ("Abdirahman", "Farah", Cohort.REFUGEE, "so"),
    ("Jade", "Lloyd", Cohort.TENANT, "en"), ("Mehmet", "Demir", Cohort.ASYLUM_SEEKER, "kmr"),
    ("Tomos", "Rowlands", Cohort.TENANT, "cy"), ("Fatima", "Osman", Cohort.REFUGEE, "ar"),
    ("Shane", "Pugh", Cohort.TENANT, "en"), ("Helen", "Tsegay", Cohort.ASYLUM_SEEKER, "ti"),
    ("Rachel", "Hopkins", Cohort.TENANT, "en"), ("Yusuf", "Ali", Cohort.REFUGEE, "so"),
    ("Dean", "Jarvis", Cohort.TENANT, "en"), ("Leyla", "Amini", Cohort.ASYLUM_SEEKER, "fa"),
]  # fmt: skip
CARDIFF_STREETS = ["Bute Street", "Clarence Road", "Corporation Road", "Holmesdale Street"]


def _people():
    """(code, cohort, first, last, language, joined_on), the same on every run."""
    rng = random.Random(2026)
    people = []
    for n in range(COUNT):
        if n % 2 == 0:
            first, last = TENANT_NAMES[n // 2]
            cohort, language = Cohort.TENANT, "en"
        else:
            first, last, language = SANCTUARY_NAMES[n // 2]
            cohort = Cohort.REFUGEE if rng.random() < 0.5 else Cohort.ASYLUM_SEEKER
        joined_on = date(2026, 1, 12) + timedelta(days=7 * (n // 4))
        people.append(
            (f"P-{n + 1:03d}", cohort, first, last, language, joined_on, rng.random(), SWANSEA)
        )
    for n, (first, last, cohort, language) in enumerate(CARDIFF_PEOPLE):
        joined_on = date(2026, 2, 2) + timedelta(days=7 * (n // 3))
        people.append(
            (f"P-{n + 201:03d}", cohort, first, last, language, joined_on, rng.random(), CARDIFF)
        )
    return people


def seed() -> list[str]:
    sheet = InformationSheet.objects.get(version="1.0")
    sites = {site.slug: site for site in Site.objects.filter(slug__in=[SWANSEA, CARDIFF])}
    for code, cohort, first, last, language, joined_on, chance, site in _people():
        participant, _ = Participant.objects.update_or_create(
            code=code,
            defaults={
                "site": sites[site],
                "cohort": cohort,
                "status": ParticipantStatus.ACTIVE,
                "joined_on": joined_on,
                "display_name": first,
                "preferred_language": language,
                "interpreter_needed": language not in ("en", "cy", "uk"),
            },
        )
        _consent(participant, sheet, joined_on, chance)
        _details(participant, first, last, int(code[2:]), site)
    _link_demo_user()
    return [
        f"Demo participants: {COUNT} in Swansea and {len(CARDIFF_PEOPLE)} in Cardiff "
        f"(the “{DEMO_USER}” sign-in is {DEMO_USER_CODE})"
    ]


def _consent(participant, sheet, given_on, chance) -> None:
    scopes = [ConsentScope.TAKE_PART, ConsentScope.CONTACT]
    scopes += [ConsentScope.SHARE_ANONYMISED] if chance < 0.7 else []
    scopes += [ConsentScope.PHOTOS] if chance < 0.4 else []
    interpreted = participant.interpreter_needed
    for scope in scopes:
        Consent.objects.get_or_create(
            participant=participant,
            scope=scope,
            withdrawn_on=None,
            defaults={
                "sheet": sheet,
                "method": ConsentMethod.VERBAL_INTERPRETER
                if interpreted
                else ConsentMethod.WRITTEN,
                "interpreter_language": participant.preferred_language if interpreted else "",
                "given_on": given_on,
            },
        )


def _details(participant, first, last, number, site) -> None:
    streets, town = (CARDIFF_STREETS, "Cardiff") if site == CARDIFF else (STREETS, "Swansea")
    # Created once: re-encrypting on every run would change nothing a person can see.
    PersonalDetails.objects.get_or_create(
        participant=participant,
        defaults={
            "full_name": f"{first} {last}",
            "phone": f"01632 960{number:03d}",
            "email": f"{first}.{last}@example.org".lower(),
            "address": f"{10 + number} {streets[number % len(streets)]}, {town}",
        },
    )


def _link_demo_user() -> None:
    user = get_user_model().objects.filter(username=DEMO_USER).first()
    if user is None:
        return
    # One sign-in, one participant: free the user if an earlier run linked it elsewhere.
    Participant.objects.filter(user=user).exclude(code=DEMO_USER_CODE).update(user=None)
    Participant.objects.filter(code=DEMO_USER_CODE).update(user=user)
