"""What workshops contribute to a participant's "my data" (registered in workshops/apps.py)."""

from workshops.models import Attendance


def workshops_attended(participant) -> list[dict]:
    """The workshops on whose register the participant is, latest first."""
    attended = Attendance.objects.filter(participant=participant).select_related("workshop")
    return [
        {"title": a.workshop.title, "date": a.workshop.starts_at.date()}
        for a in attended.order_by("-workshop__starts_at")
    ]


def workshops_data(participant) -> dict:
    return {"workshops_attended": workshops_attended(participant)}


def workshops_page(participant) -> dict:
    return {"workshops": workshops_attended(participant)}
