"""Figures computed once per change of the data they come from, kept in the Django cache.

A page whose figures are costly (the sociogram and network measures, the evaluation summary)
asks `computed(topic, key, compute)`: the cached value for the topic's current version, or
`compute()` stored under it. The services that change that data call `topic_changed(topic)`
inside their transaction. The version is a `core.versions` data version (a database row), so
it commits or rolls back with the write: a page never keeps figures from before a write it
could see. The version's moment is part of the key, so a database restored from a backup
(an older version number) never meets figures cached from later data.

A cache that is down means computing on every request, not an error page.
"""

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from core.versions import version_bump, version_get

T = TypeVar("T")
log = logging.getLogger(__name__)

KEEP = 60 * 60 * 24  # a day: figures nobody asks for leave the cache

# Topics: one name per kind of data that cached figures come from.
OUTCOMES = "outcomes"  # participants' answers, network ties and who has withdrawn


def topic_version(topic: str) -> str:
    """The topic's current version, as a cache-key part."""
    value, changed_at = version_get(topic)
    return f"{value}.{changed_at.timestamp() if changed_at else 0}"


def topic_changed(topic: str) -> None:
    """The data behind `topic` changed (call it inside the transaction that changed it)."""
    version_bump(topic)


def computed(topic: str, key: str, compute: Callable[[], T], *, timeout: int = KEEP) -> T:
    """`compute()`'s value for `key` (everything the value depends on besides the topic's
    data: who may see what, exact or rounded), computed at most once per version of
    `topic`."""
    full_key = f"computed:{topic}:{topic_version(topic)}:{key}"
    try:
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
