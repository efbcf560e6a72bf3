"""The version of what workshops found and agreed (core.versions), under which the workshop
list and common ground keep their rendered parts (core.pagecache.PageFragments).

Every write to what those pages read bumps it inside its own transaction: a save or delete
of a workshop, its register, a barrier (and its areas), an action or its update, an asset
(a venue), an area, a site or a participant (their cohort counts them by group), and a change to
their many-to-many links, by signal, so that the Django admin and every service are
covered; and explicitly where a service writes with a queryset's update() or bulk_create(),
which send no signal (as do the area loads, through assets.geo.area_version_bump)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core.versions import version_bump

WORKSHOPS_VERSION = "workshops"


def workshops_changed() -> None:
    """What the workshop pages show changed (call inside the transaction that changed it)."""
    version_bump(WORKSHOPS_VERSION)


def _changed(sender, **kwargs) -> None:
    workshops_changed()


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
        Workshop,
    )

    written = (Workshop, Attendance, Barrier, BarrierAreas, Action, ActionUpdate, Asset, Area)
    for model in (*written, Site, Participant):
        uid = f"workshops-version-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(_changed, sender=through, dispatch_uid=f"{uid}-{field.name}")
