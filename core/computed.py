"""Figures computed once per change of the data they come from, kept in the Django cache.

A page whose figures are costly (the sociogram and network measures, the evaluation summary)
asks `computed(topic, key, compute)`: the cached value for the topic's current version, or
`compute()` stored under it. The services that change that data call `topic_changed(topic)`
inside their transaction; the version moves on commit, so a page never keeps figures from
before a write it could see, and a write that rolls back moves nothing.

A version missing from the cache (evicted, or a fresh cache) starts from the clock, never from
1, so it cannot meet values stored under an older version. A cache that is down means
computing on every request, not an error page.
"""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
log = logging.getLogger(__name__)

KEEP = 60 * 60 * 24  # a day: a topic nobody changes is still recomputed now and then

# Topics: one name per kind of data that cached figures come from.
OUTCOMES = "outcomes"  # participants' answers, network ties and who has withdrawn


def _version_key(topic: str) -> str:
    return f"computed:{topic}:version"


def topic_version(topic: str) -> int:
    """The topic's current version (made from the clock if the cache has none)."""
    return cache.get_or_set(_version_key(topic), time.time_ns, timeout=None)


def _bump(topic: str) -> None:
    try:
        cache.incr(_version_key(topic))
    except ValueError:  # no version yet: whatever is cached is under none
        cache.add(_version_key(topic), time.time_ns(), timeout=None)


def topic_changed(topic: str) -> None:
    """The data behind `topic` changed: figures computed from it are stale once this
    transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _bump(topic))


def computed(topic: str, key: str, compute: Callable[[], T], *, timeout: int = KEEP) -> T:
    """`compute()`'s value for `key` (everything the value depends on besides the topic's
    data: who may see what, exact or rounded), computed at most once per version of
    `topic`."""
    try:
        full_key = f"computed:{topic}:{topic_version(topic)}:{key}"
        value = cache.get(full_key)
    except Exception:  # noqa: BLE001 — a cache that is down must not take the page down
        log.warning("cache unavailable: computing %s without it", topic, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(full_key, value, timeout)
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable: %s not stored", topic, exc_info=True)
    return value
