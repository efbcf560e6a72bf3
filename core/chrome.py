"""The site's menu and footer, on every page: rendered once per process for each language and
each menu a person may see (which items, which one is current), then reused, since they change
only with a release. Only the sign-out form's CSRF token is put in per request. Rendering them
from the template on every request cost about 1.5 ms of a signed-in page's 3 ms."""

from dataclasses import dataclass
from functools import cache, lru_cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.localmemo import memo_new

CSRF_MARK = "__chrome-csrf-token__"


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str
    exact: bool = False  # current only on that very page, not on the pages under it


@lru_cache(maxsize=1)
def _menu_of():
    """The project's menu (settings.SITE_MENU: a function of the user giving its items): the
    layout sits above every app and links each app's pages, so it is defined with the project
    (config/menu.py), not here."""
    return import_string(settings.SITE_MENU)


_kept = memo_new(max_entries=256, max_bytes=2**20)  # menus and footers (core.localmemo)


@cache
def _url(name: str, language: str) -> str:
    """The URL `name` in `language` (the active one; a parameter, so it is in the key)."""
    return reverse(name)


def _kept_render(key: tuple, template: str, context) -> str:
    html = _kept.get(key)
    if html is None:
        html = render_to_string(template, context() if callable(context) else context)
        _kept.set(key, html)
    return html


def _state(url: str, path: str, exact: bool) -> str:
    """aria-current of an item: "page" on its own page, "true" on a page under it."""
    if path == url:
        return "page"
    return "true" if not exact and url in path else ""


def menu(request) -> str:
    """The menu's items for `request.user` on `request.path`, as HTML."""
    # A page answered before the authentication middleware ran (core.middleware) has no user.
    user, language = getattr(request, "user", None) or AnonymousUser(), get_language()
    signed_in = user.is_authenticated
    items = [(item, _url(item.url_name, language)) for item in _menu_of()(user)]
    states = tuple(_state(url, request.path, item.exact) for item, url in items)
    key = ("menu", language, signed_in, tuple(item.url_name for item, _u in items), states)
    html = _kept_render(
        key,
        "site/menu.html",
        lambda: {
            "items": [
                {"url": url, "label": item.label, "state": state}
                for (item, url), state in zip(items, states, strict=True)
            ],
            "signed_in": signed_in,
            "csrf_mark": CSRF_MARK,
        },
    )
    if signed_in:
        html = html.replace(CSRF_MARK, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered from our template; the token is URL-safe


def footer() -> str:
    """The footer's text and links, as HTML."""
    key = ("footer", get_language(), settings.SITE_NAME)
    return mark_safe(  # noqa: S308 - rendered from our template
        _kept_render(key, "site/footer.html", {"service_name": settings.SITE_NAME})
    )
