"""A process's own copies of kept values (core.localmemo): bounded, least recently used out
first, and never standing in for the shared cache under another key."""

import pytest
from django.core.cache import cache

from core.localmemo import LocalMemo
from core.pagecache import kept_get, kept_set


def test_the_least_recently_used_copy_goes_first_when_full():
    memo = LocalMemo(max_entries=2, max_bytes=1000)
    memo.set("a", "1")
    memo.set("b", "2")
    assert memo.get("a") == "1"  # now b is the least recently used
    memo.set("c", "3")
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == ("1", None, "3")


def test_copies_are_bounded_by_size_and_one_too_big_is_not_kept():
    memo = LocalMemo(max_entries=100, max_bytes=10)
    memo.set("a", "x" * 6)
    memo.set("b", "y" * 6)
    assert (memo.get("a"), memo.get("b")) == (None, "y" * 6)
    memo.set("c", "z" * 11)
    assert memo.get("c") is None and memo.get("b") == "y" * 6


@pytest.mark.django_db
def test_a_kept_value_is_read_from_the_shared_cache_once_then_from_the_copy():
    cache.set("page:v1", "kept by another process")
    assert kept_get("page:v1") == "kept by another process"
    cache.delete("page:v1")
    assert kept_get("page:v1") == "kept by another process"
    assert kept_get("page:v2") is None  # a new version is a new key
    kept_set("page:v2", "new")
    assert cache.get("page:v2") == "new" and kept_get("page:v2") == "new"
