"""Reads for a participant's own page and their data download, the coordinators' list of
participants and the audit log. What other apps hold about the participant comes from the
sections they registered (core.registry.MyDataSection), so this module never names them."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from core import registry
from participants.explain import response_explained
from participants.instruments import INSTRUMENTS, SWEMWBS_NOTICE
from participants.models import AuditEvent, Consent, ConsentScope, Participant, TimePoint


def answers_grid(participant: Participant) -> list[dict]:
    """Each instrument with its response (or None) at each time point, for a page, with what
    each response says in words (participants.explain)."""
    responses = {(r.instrument, r.time_point): r for r in participant.responses.all()}
    return [
        {
            "instrument": instrument,
            "cells": [
                {
                    "time_point": value,
                    "label": label,
                    "response": (response := responses.get((code, value))),
                    "lines": response_explained(response) if response else [],
                }
                for value, label in TimePoint.choices
            ],
        }
        for code, instrument in INSTRUMENTS.items()
    ]


def shows_swemwbs(participant: Participant) -> str | None:
    """The SWEMWBS notice, to show wherever its scores appear."""
    return SWEMWBS_NOTICE if participant.responses.filter(instrument="swemwbs").exists() else None


def my_data(participant: Participant) -> dict:
    """Everything the project holds about one participant, for them to download."""
    details = getattr(participant, "personal_details", None)
    return {
        "participant": {
            "code": participant.code,
            "group": participant.cohort,
            "status": participant.status,
            "joined_on": participant.joined_on,
            "known_as": participant.display_name,
            "preferred_language": participant.preferred_language,
            "needs_interpreter": participant.interpreter_needed,
            "age_band": participant.age_band,
            "gender": participant.gender,
        },
        "personal_details": {
            "full_name": details.full_name,
            "phone": details.phone,
            "email": details.email,
            "address": details.address,
        }
        if details
        else None,
        "consent": [
            {
                "scope": c.scope,
                "how": c.method,
                "information_sheet": c.sheet.version,
                "given_on": c.given_on,
                "withdrawn_on": c.withdrawn_on,
            }
            for c in participant.consents.select_related("sheet")
        ],
        "answers": [
            {
                "questionnaire": r.instrument,
                "time_point": r.time_point,
                "completed_on": r.completed_on,
                "answers": r.answers,
                "scores": r.scores,
            }
            for r in participant.responses.all()
        ],
        "network": [
            {
                "time_point": t.time_point,
                "group": t.alter_group,
                "relationship": t.relationship,
                "closeness": t.closeness,
                "where_it_formed": t.formed,
                "another_participant": bool(t.alter_id),
            }
            for t in participant.ties.all()
        ],
        **{
            key: value
            for section in registry.my_data_sections()
            for key, value in section.data(participant).items()
        },
        "notices": [str(notice)] if (notice := shows_swemwbs(participant)) else [],
    }


def my_page_sections(participant: Participant) -> list[dict]:
    """The other apps' parts of a participant's own page: a template and its context each."""
    return [
        {"template": section.template, **(section.context(participant) if section.context else {})}
        for section in registry.my_data_sections()
        if section.template
    ]


def my_data_rows(data: dict) -> list[tuple[str, str, str]]:
    """The same data flattened to (section, field, value) rows for a CSV file."""
    rows = []

    def walk(section, value, prefix=""):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(section, inner, f"{prefix}{key}.")
        elif isinstance(value, list):
            for number, inner in enumerate(value, start=1):
                walk(section, inner, f"{prefix}{number}.")
        else:
            rows.append((section, prefix.rstrip("."), "" if value is None else str(value)))

    for section, value in data.items():
        walk(section, value)
    return rows


def with_taking_part(participants: QuerySet) -> QuerySet:
    """Each participant with whether they consent to take part now (taking_part)."""
    take_part = Consent.objects.current().filter(
        participant=OuterRef("pk"), scope=ConsentScope.TAKE_PART
    )
    return participants.annotate(taking_part=Exists(take_part))


def audit_events(*, user, q: str = "") -> QuerySet:
    """The audit log as `user` sees it (their sites' events: AuditEvent.objects.for_user), or
    the events about one participant code, by one person, or about one person's account
    (`q`, matched whole)."""
    events = AuditEvent.objects.for_user(user)
    if q := q.strip():
        events = events.filter(
            Q(participant_code__iexact=q)
            | Q(actor_name__iexact=q)
            | Q(subject="account", detail__istartswith=f"{q}:")  # changes to q's account
        )
    return events
