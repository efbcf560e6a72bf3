"""The change outbox (docs/architecture.md): how a higher app learns that data it summarises
changed, without the lower app naming it.

- A service that publishes, merges, archives or moves an asset, changes a barrier, records
  attendance or withdraws a participant calls `change_record` inside its own transaction: one
  `ChangeEvent` row naming the areas and sites that changed. If the service fails, the row is
  rolled back with everything else; if it commits, so does the row.
- On commit, `changes_drain_schedule` queues one drain a few seconds later (DRAIN_DELAY); a
  change in that window finds the drain already queued, so a burst of changes is drained once.
  Beat drains every few minutes as a safety net (a lost message, a failed drain).
- `changes_drain` claims the pending rows (select_for_update(skip_locked=True) and a
  conditional update, so two workers never take the same row), hands the union of their area
  and site ids to every change handler registered in core.registry, and marks them processed.
  A handler that fails releases the claim: the rows are drained again later. A worker that
  dies holding a claim loses it after CLAIM_LEASE.
"""

import uuid
from collections.abc import Iterable
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import registry
from core.models import ChangeEvent

DRAIN_DELAY = 5  # seconds: changes within this window are drained together
CLAIM_LEASE = timedelta(minutes=15)  # longer than the task's time limit
BATCH = 1000
KEEP_PROCESSED = timedelta(days=7)
_QUEUED_KEY = "changes:drain-queued"


def _ids(values: Iterable[int | None]) -> list[int]:
    return sorted({int(value) for value in values if value is not None})


def site_of(obj) -> int | None:
    """The site a row belongs to, once rows have one (core.Site); None until then."""
    return getattr(obj, "site_id", None)


def change_record(*, reason: str, area_ids: Iterable[int | None], site_ids=()) -> ChangeEvent:
    """Record, in the caller's transaction, that data in these areas and sites changed
    (`reason`: what happened, e.g. "asset published"); the drain runs after commit."""
    event = ChangeEvent.objects.create(
        reason=reason, area_ids=_ids(area_ids), site_ids=_ids(site_ids)
    )
    # robust: a broker that is down must not turn a saved change into an error page; the
    # row waits for beat's drain.
    transaction.on_commit(changes_drain_schedule, robust=True)
    return event


def changes_drain_schedule() -> bool:
    """Queue a drain DRAIN_DELAY seconds from now unless one is already queued; True if this
    call queued it."""
    from core.tasks import changes_drain_task

    if not cache.add(_QUEUED_KEY, 1, timeout=DRAIN_DELAY * 4):
        return False
    changes_drain_task.apply_async(countdown=DRAIN_DELAY)
    return True


def _claim(token: uuid.UUID, *, batch: int) -> list[ChangeEvent]:
    now = timezone.now()
    claimable = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    with transaction.atomic():
        ids = list(
            ChangeEvent.objects.pending()
            .filter(claimable)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        ChangeEvent.objects.pending().filter(claimable, pk__in=ids).update(
            claimed_at=now, claim=token
        )
    return list(ChangeEvent.objects.filter(claim=token, processed_at__isnull=True))


def changes_drain(*, batch: int = BATCH) -> int:
    """Hand the pending changes to every registered handler, a batch at a time; returns how
    many rows were drained. Idempotent: a processed row is never handed on again."""
    cache.delete(_QUEUED_KEY)  # a change from now on queues a fresh drain
    drained = total = _drain_batch(batch)
    while drained == batch:
        drained = _drain_batch(batch)
        total += drained
    return total


def _drain_batch(batch: int) -> int:
    token = uuid.uuid4()
    events = _claim(token, batch=batch)
    if not events:
        return 0
    area_ids = {area for event in events for area in event.area_ids}
    site_ids = {site for event in events for site in event.site_ids}
    mine = ChangeEvent.objects.filter(claim=token, processed_at__isnull=True)
    try:
        for handler in registry.change_handlers():
            handler.handle(area_ids=area_ids, site_ids=site_ids)
    except Exception:
        mine.update(claimed_at=None, claim=None)
        raise
    mine.update(processed_at=timezone.now())
    return len(events)


def changes_purge() -> int:
    """Delete rows processed more than a week ago (they are kept a while to look into)."""
    cutoff = timezone.now() - KEEP_PROCESSED
    return ChangeEvent.objects.filter(processed_at__lt=cutoff).delete()[0]
