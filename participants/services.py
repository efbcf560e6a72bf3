"""Registering participants, their consent, and withdrawing them: every read and change of
personal details and consent is written to the audit log in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from core.changes import change_record, site_of
from core.computed import OUTCOMES, topic_changed
from core.models import Role
from core.services import account_create, account_passphrase_reset
from core.sites import site_resolve
from participants import erasure
from participants.encryption import UNDECRYPTABLE_MESSAGE, Undecryptable, encrypted_fields
from participants.instruments import INSTRUMENTS
from participants.models import (
    AuditAction,
    AuditEvent,
    Consent,
    ConsentScope,
    DataAccessAgreement,
    InformationSheet,
    Participant,
    ParticipantStatus,
    PersonalDetails,
    QuestionnaireResponse,
    Tie,
    TieFormed,
)

PERSONAL_FIELDS = ("full_name", "phone", "email", "address")


def audit_record(
    *, actor, action: AuditAction, subject: str, participant=None, detail: str = ""
) -> AuditEvent:
    """Append one line to the audit log."""
    return AuditEvent.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor and actor.is_authenticated else "system",
        action=action,
        subject=subject,
        participant_code=participant.code if participant else "",
        detail=detail[:300],
    )


def account_change_audit(*, actor, account, action: AuditAction, detail: str) -> AuditEvent:
    """An account change from core (see core/audit.py): by whom, to which account, and to
    which participant when the account is one's sign-in."""
    return audit_record(
        actor=actor,
        action=action,
        subject="account",
        participant=Participant.objects.filter(user=account).first(),
        detail=f"{account.get_username()}: {detail}",
    )


CODE_ATTEMPTS = 50


def participant_code_next() -> str:
    """The next free pseudonymous code, P-001, P-002, …, from the highest number in the
    database (P-1000 follows P-999). Two registrations at once may both read the same one:
    participant_register retries on the unique code."""
    highest = (
        Participant.objects.filter(code__regex=r"^P-[0-9]+$")
        .annotate(number=Cast(Substr("code", 3), IntegerField()))
        .aggregate(highest=Max("number"))["highest"]
    )
    return f"P-{(highest or 0) + 1:03d}"


def _participant_create(**fields) -> Participant:
    """Insert a participant under the next free code. The unique constraint on the code is
    the guard: a registration that lost the race to another retries with the next number."""
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Participant.objects.create(code=participant_code_next(), **fields)
        except IntegrityError:
            continue
    raise ValidationError(_("Many people are being registered at once. Send the form again."))


def _consents_give(*, participant, sheet, scopes, method, interpreter_language, given_on, by):
    for scope in scopes:
        Consent.objects.create(
            participant=participant,
            sheet=sheet,
            scope=scope,
            method=method,
            interpreter_language=interpreter_language,
            given_on=given_on,
            recorded_by=by,
        )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        subject="consent",
        participant=participant,
        detail=f"{', '.join(scopes)} ({method}, sheet {sheet.version})",
    )


@transaction.atomic
def participant_register(
    *,
    by,
    profile: dict,
    personal: dict,
    sheet: InformationSheet,
    scopes: list[str],
    method: str,
    interpreter_language: str = "",
    given_on=None,
    site=None,
) -> Participant:
    """Register a participant with their consent, all or nothing, in `site` (one of `by`'s;
    without one, `by`'s only site: core.sites.site_resolve). Nothing is kept without a
    current consent to take part."""
    if ConsentScope.TAKE_PART not in scopes:
        raise ValidationError(
            {"scopes": _("Nothing can be recorded without consent to take part.")}
        )
    participant = _participant_create(
        site=site_resolve(user=by, site=site),
        status=ParticipantStatus.ACTIVE,
        joined_on=given_on or timezone.localdate(),
        **profile,
    )
    audit_record(
        actor=by, action=AuditAction.CREATE, subject="participant", participant=participant
    )
    _consents_give(
        participant=participant,
        sheet=sheet,
        scopes=scopes,
        method=method,
        interpreter_language=interpreter_language,
        given_on=given_on or timezone.localdate(),
        by=by,
    )
    if any(personal.get(name) for name in PERSONAL_FIELDS):
        personal_details_save(participant=participant, values=personal, by=by)
    return participant


def personal_details_read(*, participant: Participant, by) -> PersonalDetails | None:
    """A coordinator reads someone's personal details: audited."""
    details = PersonalDetails.objects.filter(participant=participant).first()
    audit_record(
        actor=by, action=AuditAction.READ, subject="personal_details", participant=participant
    )
    return details


@transaction.atomic
def personal_details_save(*, participant: Participant, values: dict, by) -> PersonalDetails:
    """Create or change a participant's personal details (only with consent to take part)."""
    if not participant.consents.current().filter(scope=ConsentScope.TAKE_PART).exists():
        raise ValidationError(_("Record consent to take part before any personal details."))
    details, created = PersonalDetails.objects.get_or_create(participant=participant)
    if details.undecryptable:
        raise ValidationError(UNDECRYPTABLE_MESSAGE)
    changed = [
        name
        for name in PERSONAL_FIELDS
        if (getattr(details, name) or "") != (values.get(name) or "")
    ]
    for name in PERSONAL_FIELDS:
        setattr(details, name, values.get(name) or None)
    details.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        subject="personal_details",
        participant=participant,
        detail=", ".join(changed),  # which fields, never their values
    )
    return details


@transaction.atomic
def personal_data_reencrypt(*, by=None) -> int:
    """Encrypt every encrypted value again with the first key (after a new salt is put first
    in PERSONAL_DATA_SALT_KEYS), so the old salts can then be retired. All or nothing: if any
    value decrypts with none of the keys, nothing is changed. Returns the rows re-encrypted."""
    by_model: dict = {}
    for field in encrypted_fields():
        by_model.setdefault(field.model, []).append(field.name)
    rows = [
        (row, names)
        for model, names in by_model.items()
        for row in model.objects.select_for_update().order_by("pk")
    ]
    unreadable = [
        str(row)
        for row, names in rows
        if any(isinstance(getattr(row, n), Undecryptable) for n in names)
    ]
    if unreadable:
        raise ValidationError(
            _("None of the keys decrypts %(rows)s, so nothing was re-encrypted.")
            % {"rows": ", ".join(unreadable)}
        )
    for row, names in rows:
        row.save(update_fields=names)
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        subject="personal_details",
        detail=f"{len(rows)} rows re-encrypted with the first key",
    )
    return len(rows)


@transaction.atomic
def consent_give(*, participant, sheet, scopes, method, interpreter_language="", given_on=None, by):
    """Record more consent (a scope already current is left as it is)."""
    current = set(participant.consents.current().values_list("scope", flat=True))
    new = [scope for scope in scopes if scope not in current]
    if participant.status == ParticipantStatus.WITHDRAWN:
        raise ValidationError(
            _("%(code)s has withdrawn: register them again instead.") % {"code": participant.code}
        )
    _consents_give(
        participant=participant,
        sheet=sheet,
        scopes=new,
        method=method,
        interpreter_language=interpreter_language,
        given_on=given_on or timezone.localdate(),
        by=by,
    )


@transaction.atomic
def consent_withdraw(*, participant: Participant, scope: str, by, on=None) -> None:
    """Withdraw one scope, dated. Withdrawing consent to take part withdraws the participant;
    withdrawing consent to share anonymised answers after leaving erases what was kept."""
    on = on or timezone.localdate()
    consent = participant.consents.current().filter(scope=scope).first()
    if consent is None:
        raise ValidationError(_("There is no current consent for that."))
    if on < consent.given_on:
        raise ValidationError(_("Consent cannot be withdrawn before the day it was given."))
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    audit_record(
        actor=by,
        action=AuditAction.WITHDRAW,
        subject="consent",
        participant=participant,
        detail=scope,
    )
    if scope == ConsentScope.TAKE_PART:
        participant_withdraw(participant=participant, by=by, on=on)
    elif (
        scope == ConsentScope.SHARE_ANONYMISED and participant.status == ParticipantStatus.WITHDRAWN
    ):
        _erase(participant, by=by, keep_anonymised=False, what="anonymised answers erased")


@transaction.atomic
def participant_withdraw(*, participant: Participant, by, on=None) -> None:
    """Withdraw a participant and erase them everywhere (participants/erasure.py): personal
    details, the name they are known by, their sign-in, their own skills and, unless they
    consented to anonymised sharing, their answers, ties in both directions, endorsements
    and attendance not yet published. What is kept under that consent is anonymised in
    every output; withdrawing the consent later erases it too."""
    if participant.status == ParticipantStatus.WITHDRAWN:
        raise ValidationError(_("%(code)s has already withdrawn.") % {"code": participant.code})
    on = on or timezone.localdate()
    keep = participant.consents.current().filter(scope=ConsentScope.SHARE_ANONYMISED).exists()
    participant.consents.current().exclude(scope=ConsentScope.SHARE_ANONYMISED).update(
        withdrawn_on=on
    )
    PersonalDetails.objects.filter(participant=participant).delete()
    user = participant.user
    participant.status = ParticipantStatus.WITHDRAWN
    participant.withdrawn_on = on
    participant.user = None
    participant.save(update_fields=["status", "withdrawn_on", "user"])
    if user is not None:
        user.delete()
    what = "personal details and sign-in erased" + ("; anonymised answers kept" if keep else "")
    _erase(participant, by=by, keep_anonymised=keep, what=what)


def _erase(participant: Participant, *, by, keep_anonymised: bool, what: str) -> None:
    counts = erasure.run(participant, keep_anonymised=keep_anonymised)
    topic_changed(OUTCOMES)  # their answers and ties are gone or anonymised
    # A person has no area: what summarises participants recomputes their site's figures.
    change_record(reason="participant erased", area_ids=(), site_ids=[site_of(participant)])
    audit_record(
        actor=by,
        action=AuditAction.ERASE,
        subject="participant",
        participant=participant,
        detail=f"{what}; {', '.join(counts)}",  # how many rows, never what they said
    )


@transaction.atomic
def response_record(
    *,
    participant: Participant,
    instrument: str,
    time_point: str,
    answers: dict,
    by,
    completed_on=None,
    language: str = "en",
    interpreter_used: bool = False,
) -> QuestionnaireResponse:
    """Record (or replace) a participant's answers to one instrument at one time point, scored
    by the instrument's published rule. Needs a current consent to take part; audited."""
    if not participant.consents.current().filter(scope=ConsentScope.TAKE_PART).exists():
        raise ValidationError(_("Record consent to take part before any answers."))
    try:
        definition = INSTRUMENTS[instrument]
        scores = definition.score(answers)
    except (KeyError, ValueError) as error:
        raise ValidationError(str(error)) from error
    response, created = QuestionnaireResponse.objects.update_or_create(
        participant=participant,
        instrument=instrument,
        time_point=time_point,
        defaults={
            "answers": answers,
            "scores": scores,
            "completed_on": completed_on or timezone.localdate(),
            "language": language,
            "interpreter_used": interpreter_used,
            "recorded_by": by if by and by.is_authenticated else None,
        },
    )
    topic_changed(OUTCOMES)  # network_record's ties too: it records through here
    audit_record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.CHANGE,
        subject="answers",
        participant=participant,
        detail=f"{instrument} at {time_point}",
    )
    return response


@transaction.atomic
def network_record(
    *, participant: Participant, time_point: str, contacts: list[dict], by, **response_fields
) -> list[Tie]:
    """The name generator: the contacts become ties (replacing this time point's) and a
    "network" response. Each contact is {"group", "relationship", "closeness"} and may name
    another participant ("alter": a Participant) and where the tie formed."""
    alters = [contact.get("alter") for contact in contacts]
    if participant in alters:
        raise ValidationError(_("A participant cannot name themselves."))
    response_record(
        participant=participant,
        instrument="network",
        time_point=time_point,
        answers={
            "contacts": [
                {k: c[k] for k in ("group", "relationship", "closeness")} for c in contacts
            ]
        },
        by=by,
        **response_fields,
    )
    participant.ties.filter(time_point=time_point).delete()
    return Tie.objects.bulk_create(
        Tie(
            participant=participant,
            time_point=time_point,
            alter=contact.get("alter"),
            alter_group=contact["group"],
            relationship=contact["relationship"],
            closeness=contact["closeness"],
            formed=contact.get("formed", TieFormed.BEFORE),
        )
        for contact in contacts
    )


@transaction.atomic
def participant_sign_in_issue(*, participant: Participant, by) -> str:
    """Give a participant a sign-in named after their code (no e-mail needed) and return the
    passphrase, shown once. A participant who has one gets a new passphrase instead."""
    if participant.user is not None:
        return account_passphrase_reset(user=participant.user, by=by)
    user, passphrase = account_create(
        username=participant.code.lower(), role=Role.PARTICIPANT, by=by, sites=[participant.site]
    )
    participant.user = user
    participant.save(update_fields=["user"])
    audit_record(actor=by, action=AuditAction.CREATE, subject="sign-in", participant=participant)
    return passphrase


@transaction.atomic
def data_access_grant(*, evaluator, reference: str, by) -> DataAccessAgreement:
    """Record an evaluator's signed data-access agreement: from now on they download the full
    pseudonymised dataset. Audited."""
    reference = (reference or "").strip()
    if not evaluator.groups.filter(name=Role.EVALUATOR).exists():
        raise ValidationError(
            {"evaluator": _("%(name)s is not an evaluator.") % {"name": evaluator.get_username()}}
        )
    if not reference:
        raise ValidationError({"reference": _("Say where the signed agreement is filed.")})
    if DataAccessAgreement.objects.current().filter(evaluator=evaluator).exists():
        raise ValidationError(
            {
                "evaluator": _("%(name)s already has a current agreement.")
                % {"name": evaluator.get_username()}
            }
        )
    agreement = DataAccessAgreement.objects.create(
        evaluator=evaluator, reference=reference, granted_by=by
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        subject="data access agreement",
        detail=f"{evaluator.get_username()}: full pseudonymised dataset ({reference})",
    )
    return agreement


@transaction.atomic
def data_access_revoke(*, agreement: DataAccessAgreement, by) -> None:
    """End an agreement: the evaluator gets the coarsened dataset again. Audited."""
    if agreement.revoked_at is not None:
        raise ValidationError(_("That agreement has already ended."))
    agreement.revoked_at = timezone.now()
    agreement.revoked_by = by
    agreement.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=by,
        action=AuditAction.WITHDRAW,
        subject="data access agreement",
        detail=f"{agreement.evaluator.get_username()}: full pseudonymised dataset "
        f"({agreement.reference})",
    )
