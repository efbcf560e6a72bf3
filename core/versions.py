"""Data versions (core.models.DataVersion): a number per kind of data that every service
changing that data bumps inside its own transaction, so that what is computed from the data
(a map layer, a summary) can be cached under the version and served with an ETag until the
next change. A bump commits or rolls back with the change; a reader that sees the new
version also sees the new data."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.models import DataVersion


def version_bump(name: str) -> None:
    """The data called `name` changed (call it inside the transaction that changed it).

    A bump holds its version's row until the transaction ends, and one transaction may bump
    several (an asset saved, its areas, the workshops' pages): two that bumped the same two in
    opposite orders would wait for each other. So every bump first takes every version's
    row, always in the order of their names (again, in the same transaction, at no cost): the
    transactions that bump queue up behind the first, and never deadlock on versions."""
    now = timezone.now()
    if transaction.get_connection().in_atomic_block:
        list(DataVersion.objects.select_for_update().order_by("name").values_list("name"))
    if DataVersion.objects.filter(name=name).update(value=F("value") + 1, changed_at=now):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(name=name, value=1, changed_at=now)
    except IntegrityError:  # created by a concurrent first bump
        DataVersion.objects.filter(name=name).update(value=F("value") + 1, changed_at=now)


def version_get(name: str) -> tuple[int, datetime | None]:
    """The current version of `name` and when it last changed; (0, None) before any change."""
    row = DataVersion.objects.filter(name=name).values_list("value", "changed_at").first()
    return row if row else (0, None)
