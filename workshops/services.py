"""Logging workshops: attendance, what each workshop found (assets, barriers) and the actions
agreed. Each function is one transaction and says plainly what is wrong."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.geo import areas_save, place
from core.changes import change_record, site_of
from core.services import version_check
from core.sites import site_resolve
from participants.models import Participant, ParticipantStatus
from workshops.models import (
    Action,
    ActionUpdate,
    Affects,
    Attendance,
    Barrier,
    BarrierProposal,
    ProposalStatus,
    Workshop,
)
from workshops.versions import to_do_changed, workshops_changed


def workshop_check_times(*, starts_at, ends_at) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})


@transaction.atomic
def attendance_change(*, workshop: Workshop, ticked=(), unticked=(), by) -> int:
    """Tick (`ticked`: participants) and untick (`unticked`: participant ids) people on the
    register, leaving everyone else as they are, so two tablets ticking one register at once
    each keep their ticks. Withdrawn people, and people of another site, cannot be ticked.
    Returns how many are on it."""
    withdrawn = [p.code for p in ticked if p.status == ParticipantStatus.WITHDRAWN]
    if withdrawn:
        raise ValidationError(
            _("%(codes)s withdrew from the project and cannot be on a register.")
            % {"codes": ", ".join(withdrawn)}
        )
    elsewhere = [p.code for p in ticked if p.site_id != workshop.site_id]
    if elsewhere:
        raise ValidationError(
            _("%(codes)s belong to another site and cannot be on this register.")
            % {"codes": ", ".join(elsewhere)}
        )
    workshop.attendance.filter(participant_id__in=list(unticked)).delete()
    Attendance.objects.bulk_create(
        [Attendance(workshop=workshop, participant=p, recorded_by=by) for p in ticked],
        ignore_conflicts=True,  # ticked on another tablet too: once is enough
    )
    workshops_changed()  # bulk_create sends no signal
    venue = workshop.venue
    change_record(
        reason="attendance recorded",
        area_ids=venue.area_ids if venue else (),
        site_ids=[site_of(workshop)],
    )
    return workshop.attendance.count()


@transaction.atomic
def barrier_create(
    *, fields: dict, geometry: dict | None = None, workshop=None, by, site=None
) -> Barrier:
    """Record a barrier (optionally placed on the map; its areas follow the place), in its
    workshop's site (without a workshop, `site`, or `by`'s only site)."""
    site = workshop.site if workshop else site_resolve(user=by, site=site)
    barrier = Barrier(workshop=workshop, recorded_by=by, site=site, **fields)
    place(barrier, geometry)
    barrier.full_clean(exclude=["workshop", "recorded_by", "site"])
    barrier.save()
    areas_save(barrier)
    change_record(reason="barrier recorded", area_ids=barrier.area_ids, site_ids=[site_of(barrier)])
    return barrier


@transaction.atomic
def barrier_vote(*, barrier: Barrier) -> None:
    """One more vote for tackling this barrier first."""
    Barrier.objects.filter(pk=barrier.pk).update(priority_votes=F("priority_votes") + 1)
    workshops_changed()  # update() sends no signal
    barrier.refresh_from_db(fields=["priority_votes"])
    change_record(reason="barrier voted", area_ids=barrier.area_ids, site_ids=[site_of(barrier)])


@transaction.atomic
def action_create(*, fields: dict, barriers, assets=(), workshop=None) -> Action:
    """Agree an action: it must tackle at least one barrier, all of one site (its
    workshop's), which the action belongs to."""
    if not barriers:
        raise ValidationError(
            {"barriers": _("Choose the barrier or barriers this action tackles.")}
        )
    site_id = workshop.site_id if workshop else barriers[0].site_id
    if any(barrier.site_id != site_id for barrier in barriers):
        raise ValidationError({"barriers": _("Choose barriers of this site only.")})
    action = Action(workshop=workshop, site_id=site_id, **fields)
    action.full_clean(exclude=["workshop", "site"])
    action.save()
    action.barriers.set(barriers)
    action.assets.set(assets)
    return action


@transaction.atomic
def action_status_change(*, action: Action, status: str, note: str, by) -> ActionUpdate:
    """Move an action on, with a note of what happened (kept as its outcome). Only someone
    who follows it up (Action.objects.run_by) may: a facilitator, an action agreed at a
    workshop they run."""
    if by is not None and not Action.objects.run_by(by).filter(pk=action.pk).exists():
        raise PermissionDenied("Only the workshop's facilitators or a coordinator may change it.")
    if not note.strip():
        raise ValidationError({"note": _("Say what happened, so others can follow it.")})
    action.status = status
    action.outcome = note.strip()
    action.save(update_fields=["status", "outcome"])
    return ActionUpdate.objects.create(action=action, status=status, note=note.strip(), by=by)


def is_overdue(action: Action) -> bool:
    return bool(
        action.due_on
        and action.due_on < timezone.localdate()
        and action.status in ("agreed", "in_progress")
    )


@transaction.atomic
def workshop_save(*, workshop: Workshop, facilitators, by, version: str | None = None) -> Workshop:
    """Save a new or changed workshop with its facilitators. Someone who sees only the
    workshops they run stays one of its facilitators, so it cannot vanish from their list.
    A change is refused (EditConflict) if the workshop was saved since `version`, the one
    the edit began on. It belongs to one of `by`'s sites: the one chosen, or their only one
    (core.sites.site_resolve)."""
    if workshop.pk:
        version_check(
            current=Workshop.objects.select_for_update().get(pk=workshop.pk), seen=version
        )
    workshop.site = site_resolve(user=by, site=workshop.site if workshop.site_id else None)
    workshop_check_times(starts_at=workshop.starts_at, ends_at=workshop.ends_at)
    workshop.full_clean()
    workshop.save()
    facilitators = set(facilitators)
    if not by.has_perm("workshops.view_all_workshops"):
        facilitators.add(by)
    workshop.facilitators.set(facilitators)
    return workshop


@transaction.atomic
def workshop_asset_record(*, workshop: Workshop, fields: dict, by):
    """A new asset named at a workshop: it waits for moderation like any other and is linked
    to the workshop that found it."""
    from assets.models import AssetSource
    from assets.services.assets import asset_create

    asset = asset_create(
        recorded_by=by, fields=fields, source=AssetSource.WORKSHOP, site=workshop.site
    )
    workshop.assets_identified.add(asset)
    return asset


@transaction.atomic
def walk_in_register(
    *,
    workshop: Workshop,
    profile: dict,
    consented: bool,
    method: str,
    interpreter_language: str = "",
    ticked=(),
    unticked=(),
    by,
) -> Participant:
    """Someone who came without being registered: registered with their consent to take part
    (against the latest information sheet), and the register's ticks saved with them on it.
    Nothing is kept without that consent; a coordinator completes their record later."""
    from participants.models import ConsentScope, InformationSheet
    from participants.services import participant_register

    if not consented:
        raise ValidationError(
            {"take_part": _("Record their consent to take part before adding them")}
        )
    sheet = InformationSheet.objects.order_by("-published_on").first()
    if sheet is None:
        raise ValidationError(_("There is no information sheet yet: ask a coordinator to add one."))
    participant = participant_register(
        by=by,
        profile=profile,
        personal={},
        sheet=sheet,
        scopes=[ConsentScope.TAKE_PART],
        method=method,
        interpreter_language=interpreter_language,
        site=workshop.site,
    )
    attendance_change(workshop=workshop, ticked=[*ticked, participant], unticked=unticked, by=by)
    return participant


def affects_default(participant: Participant | None) -> str:
    """Who a barrier named by this participant affects, until a facilitator says otherwise:
    their own group."""
    if participant is None:
        return Affects.BOTH
    return Affects.SANCTUARY if participant.is_sanctuary else Affects.TENANTS


@transaction.atomic
def barrier_propose(*, participant: Participant, fields: dict) -> BarrierProposal:
    """A participant names a barrier from their own page. It waits, unpublished, for a
    facilitator or coordinator of their site to accept it (barrier_proposal_accept)."""
    if participant.status == ParticipantStatus.WITHDRAWN:
        raise ValidationError(_("You have withdrawn from the project."))
    proposal = BarrierProposal(participant=participant, site_id=participant.site_id, **fields)
    proposal.full_clean(exclude=["participant", "site", "barrier", "decided_by"])
    proposal.save()
    return proposal


def _decide(proposal: BarrierProposal, by) -> BarrierProposal:
    """The proposal as it is now, locked; refused if someone has already decided it."""
    current = BarrierProposal.objects.select_for_update().get(pk=proposal.pk)
    if current.status != ProposalStatus.WAITING:
        raise ValidationError(
            _(
                "“%(title)s” has already been dealt with (%(status)s): someone else may "
                "have just done it."
            )
            % {"title": current.title, "status": current.get_status_display()}
        )
    if not BarrierProposal.objects.for_user(by).filter(pk=current.pk).exists():
        raise PermissionDenied("Only the facilitators and coordinators of its site may decide.")
    return current


@transaction.atomic
def barrier_proposal_accept(*, proposal: BarrierProposal, fields: dict, by) -> Barrier:
    """Accept a barrier a participant named: it becomes a Barrier of their site (with the
    title, kind and who it affects as the facilitator settles them), recorded by `by`."""
    current = _decide(proposal, by)
    barrier = barrier_create(
        fields={"description": current.description, **fields}, by=by, site=current.site
    )
    BarrierProposal.objects.filter(pk=current.pk).update(
        status=ProposalStatus.ACCEPTED, barrier=barrier, decided_by=by, decided_at=timezone.now()
    )
    to_do_changed()  # update() sends no signal
    return barrier


@transaction.atomic
def barrier_proposal_decline(*, proposal: BarrierProposal, by) -> None:
    """Decline a barrier a participant named: it is never published."""
    current = _decide(proposal, by)
    BarrierProposal.objects.filter(pk=current.pk).update(
        status=ProposalStatus.DECLINED, decided_by=by, decided_at=timezone.now()
    )
    to_do_changed()  # update() sends no signal
