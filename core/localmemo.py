"""A process's own copy of what it last read from the shared cache, for values kept under a key
that names every version of the data they show (core.versions, core.release): such a key
never names another value, so a copy can be served as the shared cache would serve it, but
without a round trip to Redis and without unpickling. A change to the data changes the key
(the version is read on every request), so it shows on the next request as before.

Bounded: least recently used first out, by count and by size (bytes of str and bytes
values, roughly); a copy is never the only place something is kept, so losing one costs
only a cache read. core.pagecache keeps the pages and parts of pages it keeps in one (every
kept page reads this process's copy before the shared cache); the map's layers, up to a
megabyte or more each, in another."""

import threading
from collections import OrderedDict


class LocalMemo:
    def __init__(self, *, max_entries: int, max_bytes: int):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._values: OrderedDict[str, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            self._values.move_to_end(key)
            return found[0]

    def set(self, key: str, value) -> None:
        size = size_of(value)
        if value is None or size > self.max_bytes:
            return
        with self._lock:
            old = self._values.pop(key, None)
            self._bytes += size - (old[1] if old else 0)
            self._values[key] = (value, size)
            while len(self._values) > self.max_entries or self._bytes > self.max_bytes:
                _key, (_value, dropped) = self._values.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._bytes = 0


def size_of(value) -> int:
    """Roughly what `value` holds: the length of its strings and bytes, and 64 for the rest."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, dict):
        return 64 + sum(size_of(k) + size_of(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return 64 + sum(size_of(v) for v in value)
    return 64


_memos: list[LocalMemo] = []


def memo_new(*, max_entries: int, max_bytes: int) -> LocalMemo:
    memo = LocalMemo(max_entries=max_entries, max_bytes=max_bytes)
    _memos.append(memo)
    return memo


def clear() -> None:
    """Forget every copy (tests do, with the shared cache they clear)."""
    for memo in _memos:
        memo.clear()
