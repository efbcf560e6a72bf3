"""Cross-app composition without upward imports (docs/architecture.md).

The apps depend one way: core ← participants ← assets ← workshops ← indicators ← toolkit. A
page or an action that needs several of them (the home page, a participant's "my data", erasure
on withdrawal, the map's layers, the demo) is composed here: each app registers its part in its
`AppConfig.ready`, and the lower app that owns the page or the action asks the registry instead
of naming the higher apps. Changes a higher app must react to reach it through the outbox
(core.changes), whose drain hands them to the change handlers registered here.

Entries come back in dependency order (the app's place in LAYERS), then in the order the app
registered them. Registering the same (app, name) again replaces the entry, so a reloaded app
does not run twice.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# The apps from the bottom up; `api` and `config` sit on top of all of them.
LAYERS = ("core", "participants", "assets", "workshops", "indicators", "toolkit")


@dataclass(frozen=True)
class Card:
    """A home-page card for one role: a link to a page, with what it is for. `count(user)`,
    when given, returns a number shown on the card with `count_label` (None shows nothing);
    `count_versions` names the data versions (core.versions) that every change to what it
    counts bumps, so that the home page keeps its counts until the next change (a count that
    names none is counted on every request). Cards are shown by `order`, then in
    dependency order."""

    app: str
    name: str
    role: str
    title: Any
    text: Any
    url_name: str
    fragment: str = ""
    count: Callable[[Any], int | None] | None = None
    count_label: Any = ""
    count_versions: tuple[str, ...] = ()
    order: int = 50


@dataclass(frozen=True)
class MyDataSection:
    """One app's part of what a participant sees about themselves. `data(participant)`
    returns {key: value} for their download (JSON and CSV); `context(participant)`, when
    given, the context of `template`, a partial on their own page."""

    app: str
    name: str
    data: Callable[[Any], dict]
    template: str = ""
    context: Callable[[Any], dict] | None = None


@dataclass(frozen=True)
class ErasureStep:
    """One app's part of erasure (participants/erasure.py). `erase(participant,
    keep_anonymised=...)` removes or unlinks what the app holds about the participant and
    returns how many rows it touched."""

    app: str
    name: str
    erase: Callable[..., int]


@dataclass(frozen=True)
class MapLayer:
    """An extra layer on the asset map: a script (a static path) that draws it, told where
    its options are (`options_url_name`), for the users `visible(user)` allows."""

    app: str
    name: str
    script: str
    options_url_name: str
    visible: Callable[[Any], bool] = lambda user: True


@dataclass(frozen=True)
class DemoSeeder:
    """`seed()` creates or refreshes an app's demo data (idempotent) and returns lines to
    print. With `option`, it runs only when `seed_demo --<option>` is given (`help` says
    what the option does)."""

    app: str
    name: str
    seed: Callable[[], list[str]]
    option: str = ""
    help: str = ""


@dataclass(frozen=True)
class ChangeHandler:
    """Called by the outbox drain (core.changes) with the ids of the areas and sites whose
    data changed: `handle(area_ids=set[int], site_ids=set[int])`. It must be idempotent: a
    failed drain hands the same changes again."""

    app: str
    name: str
    handle: Callable[..., Any]


Entry = Card | MyDataSection | ErasureStep | MapLayer | DemoSeeder | ChangeHandler

_entries: dict[tuple[type, str, str], Entry] = {}
_cards_by_role: dict[str | None, list[Card]] = {}
_changes = [0]  # how many times the registry changed: part of the key of what cards render


def register(entry: Entry) -> Entry:
    """Add (or replace) an entry; called from an app's AppConfig.ready."""
    if entry.app not in LAYERS:
        raise ImproperlyConfigured(f"{entry.app!r} is not one of the apps in {LAYERS}.")
    _entries[type(entry), entry.app, entry.name] = entry
    _changed()
    return entry


def _changed() -> None:
    _cards_by_role.clear()
    _changes[0] += 1


def generation() -> int:
    """A number that changes whenever an entry is registered or the registry restored."""
    return _changes[0]


def entries(kind: type) -> list:
    """Every entry of one kind, in dependency order, then in registration order."""
    found = [entry for (entry_kind, _app, _name), entry in _entries.items() if entry_kind is kind]
    return sorted(found, key=lambda entry: LAYERS.index(entry.app))


def cards(role: str | None) -> list[Card]:
    """The cards of one role in the order they are shown (worked out once per registry
    change: every signed-in home page asks)."""
    if role not in _cards_by_role:
        mine = (card for card in entries(Card) if card.role == role)
        _cards_by_role[role] = sorted(mine, key=lambda card: card.order)
    return list(_cards_by_role[role])


def my_data_sections() -> list[MyDataSection]:
    return entries(MyDataSection)


def erasure_steps() -> list[ErasureStep]:
    return entries(ErasureStep)


def map_layers(user) -> list[MapLayer]:
    return [layer for layer in entries(MapLayer) if layer.visible(user)]


def demo_seeders(options: Iterable[str] = ()) -> list[DemoSeeder]:
    """The seeders to run: every one without an option, and those whose option is given."""
    chosen = set(options)
    return [
        seeder for seeder in entries(DemoSeeder) if not seeder.option or seeder.option in chosen
    ]


def change_handlers() -> list[ChangeHandler]:
    return entries(ChangeHandler)


def snapshot() -> dict:
    """The registry as it is, to put back with `restore` (tests that register their own)."""
    return dict(_entries)


def restore(saved: dict) -> None:
    _entries.clear()
    _entries.update(saved)
    _changed()
