"""Erasure on withdrawal (DESIGN §6). This module owns the sequence; every app that holds data
about a participant registers an `ErasureStep` in core.registry in its AppConfig.ready, so this
lower layer never names a higher app.

Two moments erase:

- **withdrawal** (`participant_withdraw`): personal details, the name they are known by,
  their sign-in and their own skills always go. Unless they agreed to share anonymised
  answers, so does everything else that is theirs: answers, ties in both directions,
  endorsements, attendance at workshops not yet held. If they agreed, their answers, own
  ties and endorsements stay for the evaluation — anonymised: every tie to or from another
  participant loses its link (a contact described by group only), and every evaluation
  output shows their rows without a code (participants/evaluation.py).
- **withdrawing consent to share anonymised answers later** (`consent_withdraw`): what the
  first withdrawal kept is erased too.

Attendance at a workshop that has been held is published in its report, so it stays as an
anonymous count (the group only, no code); attendance at a planned or cancelled workshop is
erased (workshops/erasure.py).
"""

from core import registry


def run(participant, *, keep_anonymised: bool) -> list[str]:
    """Run every app's erasure step (core.registry, in dependency order); returns "N name"
    lines for the audit log (counts, never content)."""
    return [
        f"{step.erase(participant, keep_anonymised=keep_anonymised)} {step.name}"
        for step in registry.erasure_steps()
    ]


# --- What participants itself holds ----------------------------------------------------------


def answers_erase(participant, *, keep_anonymised: bool) -> int:
    """Questionnaire answers: kept (anonymised in every output) or deleted."""
    if keep_anonymised:
        return 0
    return participant.responses.all().delete()[0]


def ties_erase(participant, *, keep_anonymised: bool) -> int:
    """Ties in both directions: theirs, and other participants' ties that name them. Kept
    under anonymised sharing only as contacts described by group: no link to anyone."""
    from participants.models import Tie

    own = Tie.objects.filter(participant=participant)
    naming = Tie.objects.filter(alter=participant)
    if keep_anonymised:
        return own.exclude(alter=None).update(alter=None) + naming.update(alter=None)
    return naming.delete()[0] + own.delete()[0]


def profile_erase(participant, *, keep_anonymised: bool) -> int:
    """The profile beyond code and cohort. Age band and gender stay only while anonymised
    answers are kept (shown only where ten or more share them); the rest goes now."""
    fields = {
        "display_name": "",
        "preferred_language": "",
        "interpreter_needed": False,
        "joined_on": None,
    }
    if not keep_anonymised:
        fields |= {"age_band": "", "gender": ""}
    type(participant).objects.filter(pk=participant.pk).update(**fields)
    for name, value in fields.items():
        setattr(participant, name, value)
    return 1


def register_own_steps() -> None:
    for name, erase in (
        ("answers", answers_erase),
        ("ties", ties_erase),
        ("profile", profile_erase),
    ):
        registry.register(registry.ErasureStep(app="participants", name=name, erase=erase))
