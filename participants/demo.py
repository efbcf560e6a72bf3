"""Demo participants: pseudonymous codes only, half social housing tenants and half people
seeking sanctuary. The demo "participant" sign-in is P-001. No personal details here."""

from datetime import date

from django.contrib.auth import get_user_model

from .models import Cohort, Participant, ParticipantStatus

DEMO_USER = "participant"  # made by core.demo
DEMO_USER_CODE = "P-001"

# (code, cohort, joined on): add rows to grow the demo cohort.
PARTICIPANTS = [
    ("P-001", Cohort.TENANT, date(2026, 1, 14)),
    ("P-002", Cohort.REFUGEE, date(2026, 1, 14)),
    ("P-003", Cohort.TENANT, date(2026, 1, 21)),
    ("P-004", Cohort.ASYLUM_SEEKER, date(2026, 1, 21)),
    ("P-005", Cohort.TENANT, date(2026, 2, 4)),
    ("P-006", Cohort.ASYLUM_SEEKER, date(2026, 2, 4)),
    ("P-007", Cohort.TENANT, date(2026, 2, 18)),
    ("P-008", Cohort.REFUGEE, date(2026, 2, 18)),
    ("P-009", Cohort.TENANT, date(2026, 3, 4)),
    ("P-010", Cohort.REFUGEE, date(2026, 3, 4)),
    ("P-011", Cohort.TENANT, date(2026, 3, 18)),
    ("P-012", Cohort.ASYLUM_SEEKER, date(2026, 3, 18)),
]


def seed() -> list[str]:
    for code, cohort, joined_on in PARTICIPANTS:
        Participant.objects.update_or_create(
            code=code,
            defaults={"cohort": cohort, "status": ParticipantStatus.ACTIVE, "joined_on": joined_on},
        )
    _link_demo_user()
    return [
        f"Demo participants: {len(PARTICIPANTS)} (the “{DEMO_USER}” sign-in is {DEMO_USER_CODE})"
    ]


def _link_demo_user() -> None:
    user = get_user_model().objects.filter(username=DEMO_USER).first()
    if user is None:
        return
    # One sign-in, one participant: free the user if an earlier run linked it elsewhere.
    Participant.objects.filter(user=user).exclude(code=DEMO_USER_CODE).update(user=None)
    Participant.objects.filter(code=DEMO_USER_CODE).update(user=user)
