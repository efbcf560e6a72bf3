"""The signed-in home page's own part (core.views.HomeView): the "Needs action" box, the
role's words and its cards (core.registry), rendered once per change of what it shows and
kept (core.pagecache.kept), so that a request costs one small query, or none.

What the part shows depends on the role and the language and, where a card counts something,
on the person (a facilitator's overdue actions are those of their own workshops), their
permissions, their sites (read on every request), the data the counts follow (the cards'
`count_versions`, bumped by every write to it) and today's date (overnight an action becomes
overdue and an asset due to be re-checked). Every one of these is in the key; the person's
name and role label, above the part, are not kept."""

import hashlib

from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core import registry
from core.pagecache import kept
from core.release import release_token
from core.sites import scope_key_with_versions


def home_body(user) -> SafeString:
    """The signed-in person's part of the home page, from the cache when it is there."""
    role = user.role
    cards = registry.cards(role)
    body = kept(_key(user, role, cards), lambda: _render(user, role, cards))
    return mark_safe(body)  # rendered (and escaped) by the template engine


def home_cards(user, cards: list[registry.Card]) -> list[dict]:
    """The cards the apps registered for the user's role (core.registry), as links."""
    return [
        {
            "title": card.title,
            "text": card.text,
            "url": reverse(card.url_name) + (f"#{card.fragment}" if card.fragment else ""),
            "count": card.count(user) if card.count else None,
            "count_label": card.count_label,
        }
        for card in cards
    ]


def _render(user, role: str | None, cards: list[registry.Card]) -> str:
    try:  # core's own words for a role, if it has any; the cards come from every app
        intro = get_template(f"core/home/{role or 'none'}.html").template.name
    except TemplateDoesNotExist:
        intro = None
    shown = home_cards(user, cards)
    needs_action = [card for card in shown if card["count"]]
    context = {"role_template": intro, "cards": shown, "needs_action": needs_action}
    return render_to_string("core/home/signed_in.html", context)


def _key(user, role: str | None, cards: list[registry.Card]) -> str | None:
    """None when a count follows no data version: it is worked out on every request."""
    counted = [card for card in cards if card.count]
    if not all(card.count_versions for card in counted):
        return None
    key = f"home:{release_token()}:{registry.generation()}:{get_language()}:{role}"
    if not counted:
        return key
    versions = {version for card in counted for version in card.count_versions}
    scope = scope_key_with_versions(user, versions)
    return f"{key}:{_person(user)}:{scope}:{timezone.localdate().isoformat()}"


def _person(user) -> str:
    """Who the counts are for, with their permissions (a count may follow either)."""
    if user.is_superuser:
        return f"{user.pk}-superuser"
    permissions = ",".join(sorted(user.get_all_permissions()))
    return f"{user.pk}-{hashlib.sha256(permissions.encode()).hexdigest()[:16]}"
