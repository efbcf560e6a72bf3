"""The import's duplicate check (assets.services.duplicates): the same rule as asset_duplicates
(a similar name, and nearby or, without a place, the same category), against existing assets
and earlier rows, found by an index instead of comparing every pair (bench/import_duplicates.py
times it)."""

import random
from difflib import SequenceMatcher

import pytest

from assets.models import AssetCategory
from assets.services.duplicates import (
    DUPLICATE_DISTANCE_DEGREES,
    DUPLICATE_NAME_SIMILARITY,
    DUPLICATES_SHOWN,
)
from assets.services.duplicates import duplicates_flag as _duplicates_flag
from assets.services.duplicates import names_similar as _similar
from assets.services.imports.checking import _Checked
from assets.tests.factories import TOWNHILL, AssetFactory

pytestmark = pytest.mark.django_db
D = DUPLICATE_DISTANCE_DEGREES
NAMES = [
    "Townhill Library", "townhill library", "Townhill Libraries", "Mayhill Library",
    "Community Centre", "Community Center", "The Community Centre", "Food bank",
    "Foodbank", "Bike repair", "Bike repairs", "Sewing", "Sewing club", "Allotments",
]  # fmt: skip


def row(n: int, name: str, category, at: tuple[float, float] | None = TOWNHILL) -> _Checked:
    lat, lng = at if at else (None, None)
    return _Checked(
        row=n, name=name, fields={}, category=category, category_given="",
        category_default=False, latitude=lat, longitude=lng,
    )  # fmt: skip


def alike(a: str, b: str) -> bool:
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio() >= DUPLICATE_NAME_SIMILARITY


def brute_force(rows: list[_Checked], existing: list[tuple]) -> list[list[dict]]:
    """The rule compared pair by pair, as the check did before it had an index."""
    seen, found = list(existing), []
    for r in rows:
        if r.latitude is None:
            matches = [ref for _lat, _lng, name, cat, ref in seen if cat == r.category.pk]
            names = [name for _lat, _lng, name, cat, _ref in seen if cat == r.category.pk]
        else:
            near = [
                (name, ref)
                for lat, lng, name, _cat, ref in seen
                if lat is not None and abs(lat - r.latitude) <= D and abs(lng - r.longitude) <= D
            ]
            names, matches = [n for n, _ in near], [ref for _, ref in near]
        pairs = zip(names, matches, strict=True)
        found.append([ref for name, ref in pairs if alike(name, r.name)])
        ref = {"id": None, "row": r.row, "name": r.name}
        seen.append((r.latitude, r.longitude, r.name, r.category.pk, ref))
    return found


def key(refs: list[dict]) -> list[tuple]:
    return sorted((ref["id"] or 0, ref.get("row", 0), ref["name"]) for ref in refs)


@pytest.mark.parametrize("seed", range(5))
def test_the_indexed_check_finds_what_comparing_every_pair_finds(seed):
    rng = random.Random(seed)
    library, skills = (AssetCategory.objects.get(slug=slug) for slug in ("library", "skills"))
    categories, existing = [library, skills], []
    for _ in range(6):
        lat = TOWNHILL[0] + rng.choice([-1, 0, 1]) * rng.uniform(0, 2 * D)
        asset = AssetFactory(name=rng.choice(NAMES), latitude=lat, category=library)
        ref = {"id": asset.pk, "name": asset.name}
        existing.append((lat, TOWNHILL[1], asset.name, library.pk, ref))
    rows = []
    for n in range(2, 300):
        at = None
        category = rng.choice(categories)
        if category == library and rng.random() < 0.8:
            at = (TOWNHILL[0] + rng.uniform(-3, 3) * D, TOWNHILL[1] + rng.uniform(-3, 3) * D)
        rows.append(row(n, rng.choice(NAMES), category, at))
    expected = brute_force(rows, existing)
    _duplicates_flag(rows)
    assert sum(map(bool, expected)) > 50  # the data has plenty of duplicates to find
    for r, wanted in zip(rows, expected, strict=True):
        if len(wanted) <= DUPLICATES_SHOWN:
            assert key(r.duplicates) == key(wanted), r.row
        else:
            assert len(r.duplicates) == DUPLICATES_SHOWN
            assert set(key(r.duplicates)) <= set(key(wanted)), r.row


def test_rows_with_one_name_at_one_spot_each_list_the_first_five_before_them():
    library = AssetCategory.objects.get(slug="library")
    rows = [row(n, "Townhill Library", library) for n in range(2, 1002)]
    _duplicates_flag(rows)
    assert rows[0].duplicates == []
    assert [ref["row"] for ref in rows[3].duplicates] == [2, 3, 4]
    assert [ref["row"] for ref in rows[-1].duplicates] == [2, 3, 4, 5, 6]


def test_a_duplicate_is_at_most_the_duplicate_distance_away_on_each_axis():
    library = AssetCategory.objects.get(slug="library")
    lat, lng = TOWNHILL
    rows = [
        row(2, "Mayhill Library", library, (lat, lng)),
        row(3, "Mayhill Library", library, (lat + D * 0.999, lng)),  # just inside
        row(4, "Mayhill Library", library, (lat - D * 1.001, lng)),  # just outside row 2
    ]
    _duplicates_flag(rows)
    assert [[ref["row"] for ref in r.duplicates] for r in rows] == [[], [2], []]


def test_names_are_similar_from_three_quarters_alike():
    library = AssetCategory.objects.get(slug="library")
    # "abcdefgh" against "abcdefxy" is 0.75 alike; against "abcdexyz" 0.625.
    rows = [row(2, "abcdefgh", library), row(3, "abcdefxy", library), row(4, "abcdexyz", library)]
    _duplicates_flag(rows)
    assert [[ref["row"] for ref in r.duplicates] for r in rows] == [[], [2], [3]]


@pytest.mark.parametrize("seed", range(3))
def test_the_similarity_shortcuts_agree_with_sequence_matcher(seed):
    rng = random.Random(seed)
    words = ["community", "centre", "townhill", "library", "club", "a", "the", "1", "2"]
    for _ in range(3000):
        a = " ".join(rng.choices(words, k=rng.randint(1, 4)))
        b = " ".join(rng.choices(words, k=rng.randint(1, 4)))
        assert _similar(a, b) == alike(a, b), (a, b)
