"""What workshops contribute to a participant's "my data" (registered in workshops/apps.py)
and the facilitators' home page: the workshops they came to and the barriers they named."""

from workshops.models import Attendance, BarrierProposal


def workshops_attended(participant) -> list[dict]:
    """The workshops on whose register the participant is, latest first."""
    attended = Attendance.objects.filter(participant=participant).select_related("workshop")
    return [
        {"title": a.workshop.title, "date": a.workshop.starts_at.date()}
        for a in attended.order_by("-workshop__starts_at")
    ]


def barriers_named(participant):
    return BarrierProposal.objects.filter(participant=participant).order_by("-created_at")


def workshops_data(participant) -> dict:
    return {
        "workshops_attended": workshops_attended(participant),
        "barriers_named": [
            {
                "what": p.title,
                "more": p.description,
                "kind": p.kind,
                "status": p.status,
                "named_on": p.created_at.date(),
            }
            for p in barriers_named(participant)
        ],
    }


def workshops_page(participant) -> dict:
    return {"workshops": workshops_attended(participant), "proposals": barriers_named(participant)}


def barriers_waiting(user) -> int:
    """How many barriers participants named wait for this facilitator or coordinator."""
    return BarrierProposal.objects.for_user(user).waiting().count()
