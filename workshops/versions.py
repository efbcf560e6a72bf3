"""The version of what workshops found and agreed (core.versions), under which the workshop
list and common ground keep their rendered parts (core.pagecache.PageFragments).

Every write to what those pages read bumps it inside its own transaction: a save or delete
of a workshop, its register, a barrier (and its areas), an action or its update, an asset
(a venue), an area, a site or a participant (their cohort counts them by group), and a change to
their many-to-many links, by signal, so that the Django admin and every service are
covered; and explicitly where a service writes with a queryset's update() or bulk_create(),
which send no signal (as do the area loads, through assets.geo.area_version_bump)."""

from core.versions import version_bump, version_follows

WORKSHOPS_VERSION = "workshops"
# What the home page counts for facilitators and coordinators (core.home): the barriers
# participants named that wait for a decision, and the actions overdue. Bumped by a save or
# delete of a proposal, an action or a workshop (its site, its facilitators: whose actions
# they are), by signal, and where a service decides a proposal with update().
TO_DO_VERSION = "workshops:to-do"


def workshops_changed() -> None:
    """What the workshop pages show changed (call inside the transaction that changed it)."""
    version_bump(WORKSHOPS_VERSION)


def to_do_changed() -> None:
    """What the home page counts for workshops changed (inside the same transaction)."""
    version_bump(TO_DO_VERSION)


def signals_connect() -> None:
    from assets.models import Area, Asset
    from core.models import Site
    from participants.models import Participant
    from workshops.models import (
        Action,
        ActionUpdate,
        Attendance,
        Barrier,
        BarrierAreas,
        BarrierProposal,
        Workshop,
    )

    written = (Workshop, Attendance, Barrier, BarrierAreas, Action, ActionUpdate, Asset, Area)
    version_follows(WORKSHOPS_VERSION, *written, Site, Participant, links=True)
    version_follows(TO_DO_VERSION, Action, BarrierProposal)
    version_follows(TO_DO_VERSION, Workshop, links=True)
