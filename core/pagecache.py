"""Pages, and parts of pages, kept per language and per version of the data they show
(core.versions), so that the busiest pages (the map) are rendered once per change of their
data rather than once per request.

SignedOutPageCacheMixin keeps whole pages for people who are signed out. PageFragments keeps
parts of a page for a group of people who all see the same in them (everyone inside the
project, say): the view names the group, and nothing is kept for anyone outside it.

Whole pages: only what is the same for everyone signed out is kept: a page is served from
the cache, or stored in it, only for a GET from someone signed out with no message waiting,
and only when its query string names nothing but `page_cache_params` (so the kept pages are
bounded: no search words). A page with a form that posts (a CSRF token) or that sets a
cookie is never kept. The CSP nonce of the page's inline scripts is put back fresh on every request.

The key holds the release (core.release), the language, the URL and the data's versions:
a change to the data, a new translation or a new template shows on the next request.
A cache that is down means rendering every request, not an error page.

What a kept part costs on each request is one query and, most often, no cache read: the
versions it is kept under, and what it depends on about the person (PersonRead: their
sites, a data-access agreement), are read in one statement (core.versions.versions_get);
the parts are kept as strings (no lazy translations to rebuild), with the request's CSP
nonce put back, in the shared cache and in a bounded copy in each process
(core.localmemo), read first: a key names everything its value depends on, so the copy is
never stale.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.safestring import SafeData, mark_safe

from core.localmemo import memo_new
from core.release import release_token
from core.versions import versions_get

log = logging.getLogger(__name__)

KEEP = 60 * 60 * 24  # a day: pages nobody asks for leave the cache
# This process's copies of rendered parts of pages (a few kilobytes to tens of kilobytes each;
# core.localmemo), read before the shared cache.
fragments = memo_new(max_entries=512, max_bytes=8 * 2**20)
NONCE_MARK = "__page-cache-csp-nonce__"


class SignedOutPageCacheMixin:
    """For a view whose page, to someone signed out, depends only on its URL, the language and
    the data versions named in `page_cache_versions`. It wraps `get`, so the view's access
    checks (in `dispatch`) run first on every request."""

    page_cache_versions: tuple[str, ...] = ()
    page_cache_params: frozenset[str] = frozenset()

    def get(self, request, *args, **kwargs):
        if not self._page_cacheable(request):
            return super().get(request, *args, **kwargs)
        key = "page:" + page_cache_key(request, self.page_cache_versions)
        cached = kept_get(key)
        if cached is not None:
            return _response_from(request, cached)
        response = super().get(request, *args, **kwargs)
        kept = _keepable(request, response)
        if kept is not None:
            kept_set(key, kept)
        return response

    def _page_cacheable(self, request) -> bool:
        return (
            not request.user.is_authenticated
            and set(request.GET) <= self.page_cache_params
            and len(get_messages(request)) == 0
        )


@dataclass(frozen=True)
class PersonRead:
    """Something about the signed-in person that a kept part depends on besides the data
    (their sites, a data-access agreement), read afresh on every request in the page's one
    query and put in the key. `sql()`: a SELECT of one column named v, whose one parameter is
    the person's id; `value(user, rows)`: what the view is given, and the key's part."""

    name: str
    sql: Callable[[], str]
    value: Callable[[Any, list], Any]


class PageFragments:
    """Parts of one page kept for the people of `scope` (None: nobody; nothing is kept and
    every part is worked out), per release, language, URL, the data's `versions` and what
    `reads` find about the person (given to the view as `fragments.found[name]`), when the
    query string names nothing but `params`."""

    def __init__(
        self,
        request,
        *,
        scope: str | None,
        versions: tuple[str, ...],
        params,
        reads: tuple[PersonRead, ...] = (),
    ):
        self.request = request
        self.active = scope is not None and set(request.GET) <= params
        user = request.user
        person = [(read.name, read.sql(), [user.pk]) for read in reads if user.is_authenticated]
        found_versions, rows = versions_get(versions if self.active else (), rows=person)
        self.found = {read.name: read.value(user, rows.get(read.name, [])) for read in reads}
        if self.active:
            about = ":".join(f"{name}={value}" for name, value in self.found.items())
            key = page_cache_key(request, versions, found=found_versions)
            self.prefix = f"fragment:{scope}:{about}:{key}"

    def get(self, name: str):
        if not self.active:
            return None
        return _nonce_restored(self.request, kept_get(f"{self.prefix}:{name}"))

    def set(self, name: str, value):
        """Keep `value` (a string, or a dict of them and other values): the request's CSP
        nonce in its strings is marked, and put back fresh on each request."""
        if self.active:
            kept_set(f"{self.prefix}:{name}", _nonce_marked(self.request, value))
        return value

    def get_or_set(self, name: str, compute):
        value = self.get(name)
        return value if value is not None else self.set(name, compute())


def page_cache_key(request, versions: tuple[str, ...], *, found=None) -> str:
    """The release, the language, the data's versions (`found`, or read in one query) and
    the URL (path and query)."""
    found = versions_get(versions)[0] if found is None else found
    data = ":".join(f"{found[name][0]}.{_stamp(found[name][1])}" for name in versions)
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{release_token()}:{request.LANGUAGE_CODE}:{data}:{path}"


def _strings(value, change: Callable[[str], str]):
    """`value` with `change` made to it if a string, or to each string of it if a dict."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {name: _strings(part, change) for name, part in value.items()}
    return value


def _replaced(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced, as safe for HTML as it was (SafeString)."""
    if old not in text:
        return text
    replaced = text.replace(old, new)
    return mark_safe(replaced) if isinstance(text, SafeData) else replaced  # noqa: S308


def _nonce_marked(request, value):
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str):
        return _strings(value, lambda text: _replaced(text, nonce, NONCE_MARK))
    return value


def _nonce_restored(request, value):
    # Reading the nonce makes the CSP middleware put it in this response's header: only
    # where the part carries it.
    def restored(text: str) -> str:
        return _replaced(text, NONCE_MARK, str(request.csp_nonce)) if NONCE_MARK in text else text

    return _strings(value, restored)


def _stamp(changed_at) -> str:
    return str(changed_at.timestamp()) if changed_at else "0"


def _keepable(request, response) -> tuple[str, bytes] | None:
    """(content type, content with the nonce marked) if the response may be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if hasattr(response, "render"):
        response.render()
    content = response.content
    if b"csrfmiddlewaretoken" in content:
        return None
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str):
        content = content.replace(nonce.encode(), NONCE_MARK.encode())
    return response["Content-Type"], content


def _response_from(request, kept: tuple[str, bytes]) -> HttpResponse:
    content_type, content = kept
    if NONCE_MARK.encode() in content:
        # Reading the nonce makes the CSP middleware put it in this response's header.
        content = content.replace(NONCE_MARK.encode(), str(request.csp_nonce).encode())
    return HttpResponse(content, content_type=content_type)


def kept(key: str | None, compute: Callable[[], Any]) -> Any:
    """The value kept under `key`: from this process's memory, else from the cache, else
    computed now (and kept in both); computed every time for a key of None. Nothing kept
    is ever changed or removed, only forgotten, the least recently used first: the key must
    name everything the value depends on (the release, the language, whose it is, the
    versions of its data), so that a change is a new key, never a stale value."""
    if key is None:
        return compute()
    value = kept_get(key)
    return value if value is not None else kept_set(key, compute())


def kept_get(key: str):
    """The value kept under `key` (a key naming its data's versions): this process's copy,
    else the shared cache's (copied here); None when neither holds it or the cache is down."""
    value = fragments.get(key)
    if value is None:
        value = cache_call(cache.get, key)
        if value is not None:
            fragments.set(key, value)
    return value


def kept_set(key: str, value):
    """Keep `value` under `key` here and in the shared cache (for a day)."""
    fragments.set(key, value)
    cache_call(cache.set, key, value, KEEP)
    return value


def kept_forget() -> None:
    """Forget what this process kept in memory (tests: as the cache is cleared)."""
    fragments.clear()


def cache_call(method, *args):
    try:
        return method(*args)
    except Exception:  # noqa: BLE001 — a cache that is down must not take the page down
        log.warning("cache unavailable: page rendered without it", exc_info=True)
        return None
