"""Likely duplicates: the one rule, and the two ways it is applied — to one asset (moderation,
`asset_duplicates`) and to every row of an import file at once (`duplicates_flag`).

The rule (`likely_duplicate`): the names are at least DUPLICATE_NAME_SIMILARITY alike,
ignoring case, and the places are near — both within DUPLICATE_DISTANCE_DEGREES of each other
on each axis; or, for something with no place, the other is in the same category. Archived
assets are never duplicates of anything. The queries and the index below only narrow down
whom to compare with; every match is decided by `likely_duplicate`'s two halves.
"""

import math
from collections import defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher
from operator import itemgetter
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Postfix, Prefix

from assets.models import Asset, AssetStatus

DUPLICATE_DISTANCE_DEGREES = 0.003  # about 200–330 m in Wales
DUPLICATE_NAME_SIMILARITY = 0.75
DUPLICATE_CANDIDATES = 500  # distinct names compared with one asset's, at most
DUPLICATES_SHOWN = 5
# rapidfuzz's ratio (2 × longest common subsequence / both lengths) is never below
# SequenceMatcher's, so names under this cut-off cannot be similar (the tolerance is for floats).
QUICK_CUTOFF = DUPLICATE_NAME_SIMILARITY * 100 - 1e-6
QUICK_CHUNK = 100


class Sketch(NamedTuple):
    """What the rule looks at: a name, a place (or none) and a category."""

    name: str
    latitude: float | None
    longitude: float | None
    category_id: int | None


def names_similar(a: str, b: str) -> bool:
    """Names at least DUPLICATE_NAME_SIMILARITY alike by SequenceMatcher's ratio, ignoring case.
    Two shortcuts give the same answer sooner: equal names, and names whose common start or
    end alone reaches the ratio (SequenceMatcher matches at least the longest common run; its
    "popular character" heuristic only starts at 200 characters)."""
    a, b = a.casefold(), b.casefold()
    if a == b:
        return True
    total = len(a) + len(b)
    if len(a) < 200 and len(b) < 200:
        shared = max(Prefix.similarity(a, b), Postfix.similarity(a, b))
        if 2 * shared >= DUPLICATE_NAME_SIMILARITY * total:
            return True
    return SequenceMatcher(None, a, b).ratio() >= DUPLICATE_NAME_SIMILARITY


def places_near(one: Sketch, other: Sketch) -> bool:
    """Near enough to be the same thing: placed within the distance on each axis; or, for
    something without a place, the other in the same category."""
    if one.latitude is None:
        return other.category_id == one.category_id
    d = DUPLICATE_DISTANCE_DEGREES
    return (
        other.latitude is not None
        and abs(other.latitude - one.latitude) <= d
        and abs(other.longitude - one.longitude) <= d
    )


def likely_duplicate(one: Sketch, other: Sketch) -> bool:
    """The rule, everywhere: a similar name, and near (see the module's docstring)."""
    return places_near(one, other) and names_similar(one.name, other.name)


def _sketch(asset: Asset) -> Sketch:
    return Sketch(asset.name, asset.latitude, asset.longitude, asset.category_id)


def asset_duplicates(*, asset: Asset, limit: int = DUPLICATES_SHOWN, among=None) -> list[Asset]:
    """Likely duplicates of one asset, among up to DUPLICATE_CANDIDATES assets near it, of
    `among` (a queryset: the assets a moderator reaches; every asset by default)."""
    among = Asset.objects.all() if among is None else among
    candidates = among.exclude(pk=asset.pk).exclude(status=AssetStatus.ARCHIVED)
    if asset.latitude is not None:
        d = DUPLICATE_DISTANCE_DEGREES
        candidates = candidates.in_bbox(
            asset.longitude - d, asset.latitude - d, asset.longitude + d, asset.latitude + d
        )
    else:
        candidates = candidates.filter(category=asset.category)
    candidates = candidates.select_related("category")[:DUPLICATE_CANDIDATES]
    one = _sketch(asset)
    return [other for other in candidates if likely_duplicate(one, _sketch(other))][:limit]


# --- A whole file at once ----------------------------------------------------------------------


class _Names:
    """The distinct names in one cell or category (casefolded, in the order first seen), each
    with every place it was seen."""

    __slots__ = ("names", "places")

    def __init__(self):
        self.names: list[str] = []
        self.places: dict[str, list[tuple[Sketch, dict]]] = {}

    def add(self, sketch: Sketch, ref: dict) -> None:
        key = sketch.name.casefold()
        if key not in self.places:
            self.places[key] = []
            self.names.append(key)
        self.places[key].append((sketch, ref))


NO_NAMES = _Names()


class _Nearby:
    """Names indexed by place (in cells the size of the duplicate distance) and by category.
    Each distinct name is held once, so a file of one name at one spot is checked in linear
    time. A row's name is compared with at most DUPLICATE_CANDIDATES distinct names around it
    (asset_duplicates' limit): first by rapidfuzz's indel ratio, which is never below the
    SequenceMatcher ratio that decides, so the quick pass drops no match."""

    def __init__(self):
        self.cells = defaultdict(_Names)
        self.categories = defaultdict(_Names)

    @staticmethod
    def _cell(latitude: float, longitude: float) -> tuple[int, int]:
        d = DUPLICATE_DISTANCE_DEGREES
        return math.floor(latitude / d), math.floor(longitude / d)

    def add_placed(self, sketch: Sketch, ref: dict) -> None:
        self.cells[self._cell(sketch.latitude, sketch.longitude)].add(sketch, ref)

    def add_in_category(self, sketch: Sketch, ref: dict) -> None:
        self.categories[sketch.category_id].add(sketch, ref)

    def _groups(self, one: Sketch) -> list[_Names]:
        if one.latitude is None:
            return [self.categories.get(one.category_id, NO_NAMES)]
        i, j = self._cell(one.latitude, one.longitude)
        around = [(0, 0), *((di, dj) for di in (-1, 0, 1) for dj in (-1, 0, 1) if di or dj)]
        return [self.cells.get((i + di, j + dj), NO_NAMES) for di, dj in around]

    def _alike(self, one: Sketch, names: list[str]) -> Iterator[str]:
        """The names in `names` like the row's, in order, looked at a chunk at a time so a
        name like every other stops early."""
        query = one.name.casefold()
        for start in range(0, len(names), QUICK_CHUNK):
            chunk = names[start : start + QUICK_CHUNK]
            quick = process.extract(
                query, chunk, scorer=fuzz.ratio, score_cutoff=QUICK_CUTOFF, limit=None
            )
            for name, _score, _index in sorted(quick, key=itemgetter(2)):
                if names_similar(name, one.name):
                    yield name

    def similar(self, one: Sketch) -> list[dict]:
        found, budget = [], DUPLICATE_CANDIDATES
        for group in self._groups(one):
            if not group.names:
                continue
            names = group.names[:budget]
            budget -= len(names)
            for name in self._alike(one, names):
                for other, ref in group.places[name]:
                    if places_near(one, other):
                        found.append(ref)
                        if len(found) == DUPLICATES_SHOWN:
                            return found
        return found


def _nearby_existing(sketches: list[Sketch]) -> _Nearby:
    """Existing assets that could match any of the sketches: two queries for the whole file."""
    nearby, d = _Nearby(), DUPLICATE_DISTANCE_DEGREES
    existing = Asset.objects.exclude(status=AssetStatus.ARCHIVED)
    placed = [one for one in sketches if one.latitude is not None]
    if placed:
        lats, lngs = [one.latitude for one in placed], [one.longitude for one in placed]
        box = existing.in_bbox(min(lngs) - d, min(lats) - d, max(lngs) + d, max(lats) + d)
        for pk, name, lat, lng, category_id in box.values_list(
            "pk", "name", "latitude", "longitude", "category_id"
        ):
            nearby.add_placed(Sketch(name, lat, lng, category_id), {"id": pk, "name": name})
    categories = {one.category_id for one in sketches if one.latitude is None}
    if categories:
        in_categories = existing.filter(category_id__in=categories)
        for pk, name, category_id in in_categories.values_list("pk", "name", "category_id"):
            nearby.add_in_category(Sketch(name, None, None, category_id), {"id": pk, "name": name})
    return nearby


def duplicates_flag(rows: list) -> None:
    """Set `duplicates` on each row of a file (rows without errors, with a name, latitude,
    longitude and category) to the existing assets and earlier rows it is likely a duplicate
    of, by the same rule as asset_duplicates."""
    rows = [row for row in rows if not row.errors]
    sketches = [Sketch(r.name, r.latitude, r.longitude, r.category.pk) for r in rows]
    nearby = _nearby_existing(sketches)
    for row, sketch in zip(rows, sketches, strict=True):
        row.duplicates = nearby.similar(sketch)
        ref = {"id": None, "row": row.row, "name": row.name}
        nearby.add_in_category(sketch, ref)
        if sketch.latitude is not None:
            nearby.add_placed(sketch, ref)
