"""The disclosure-control rules themselves (participants.disclosure), at their edges, and an
exhaustive check that no breakdown it shows can be undone by arithmetic. The pages and
downloads that use it are pinned in tests/test_disclosure.py."""

from collections import defaultdict
from itertools import product

import pytest

from participants.disclosure import (
    MEAN_HIDDEN,
    SUPPRESSED,
    WITHHELD,
    count_shown,
    mean_shown,
    row_shown,
    union_mean_shown,
    union_shown,
)

W = WITHHELD


@pytest.mark.parametrize(
    ("count", "shown"), [(0, 0), (1, "<5"), (4, "<5"), (5, 5), (6, 6), (11, 11)]
)
def test_counts_of_one_to_four_show_as_under_five_outside_coordinators(count, shown):
    assert count_shown(count, exact=False) == shown
    assert count_shown(count, exact=True) == count


@pytest.mark.parametrize(("people", "shown"), [(9, str(MEAN_HIDDEN)), (10, 2.5), (11, 2.5)])
def test_means_show_only_over_ten_people_or_more_outside_coordinators(people, shown):
    values = [2, 3] * (people // 2) + [2.5] * (people % 2)
    assert mean_shown(values, exact=False) == shown
    assert mean_shown(values, exact=True) == 2.5


def test_a_mean_of_nobody_is_none_and_means_round_to_one_place():
    assert mean_shown([], exact=False) is None and mean_shown([], exact=True) is None
    assert mean_shown([19.25, 19.25, 25.03], exact=True) == 21.2


@pytest.mark.parametrize(
    ("counts", "cells", "total"),
    [
        # A cell hidden: the total would give it away, so the first other cell shown goes too
        # (by place in the row, not by size: choosing the smallest would tell its size).
        ((7, 3, 0), (W, "<5", 0), 10),
        ((9, 2, 6), (W, "<5", 6), 17),
        ((0, 4, 5), (0, "<5", W), W),
        ((2, 3, 10), ("<5", "<5", W), 15),
        ((1, 1, 10), ("<5", "<5", W), 12),
        # Hidden and withheld cells under 10 together (they might be 1 and 5): the total goes.
        ((5, 1, 0), (W, "<5", 0), W),
        ((5, 4, 0), (W, "<5", 0), W),
        ((6, 4, 0), (W, "<5", 0), 10),
        # No other cell to withhold: the total goes.
        ((4, 4, 0), ("<5", "<5", 0), W),
        ((2, 3, 0), ("<5", "<5", 0), W),
        ((3, 0, 0), ("<5", 0, 0), "<5"),
        ((4, 0, 0), ("<5", 0, 0), "<5"),
        ((5, 0, 0), (5, 0, 0), 5),
        ((6, 5, 0), (6, 5, 0), 11),
        ((0, 0, 0), (0, 0, 0), 0),
    ],
)
def test_a_breakdown_suppresses_small_cells_and_whatever_would_give_them_away(counts, cells, total):
    shown = row_shown(dict(zip("abc", counts, strict=True)), exact=False)
    assert tuple(shown.cells.values()) == cells
    assert shown.total == total
    exact = row_shown(dict(zip("abc", counts, strict=True)), exact=True)
    assert (tuple(exact.cells.values()), exact.total) == (counts, sum(counts))


def _view(counts: tuple, keys: str):
    shown = row_shown(dict(zip(keys, counts, strict=True)), exact=False)
    return tuple(str(v) for v in shown.cells.values()), str(shown.total)


@pytest.mark.parametrize("width", [2, 3, 4])
def test_no_breakdown_shown_lets_a_hidden_cell_be_worked_out(width):
    """Someone who knows the rules and sees a row as shown can list every row that would be
    shown the same way. For every row with cells up to 8 (among rows up to 16, so a cell's
    possible values are not cut off by the search), each "<5" cell must still have at least
    two possible values."""
    keys = "abcd"[:width]
    alike = defaultdict(list)
    for counts in product(range(17), repeat=width):
        alike[_view(counts, keys)].append(counts)
    for counts in product(range(9), repeat=width):
        cells, _total = view = _view(counts, keys)
        for index, cell in enumerate(cells):
            if cell == SUPPRESSED:
                possible = {candidate[index] for candidate in alike[view]}
                assert len(possible) > 1, (counts, view, possible)


@pytest.mark.parametrize(
    ("sizes", "shown"),
    [((10, 0, 0), True), ((10, 10, 0), True), ((10, 9, 0), False), ((12, 0, 1), False)],
)
def test_a_figure_over_all_groups_shows_only_where_every_group_in_it_could_show_its_own(
    sizes, shown
):
    assert union_shown(sizes, exact=False) is shown
    assert union_shown(sizes, exact=True) is True


def test_the_mean_over_all_groups_is_hidden_where_a_group_in_it_is_under_ten():
    parts = {"tenant": [20.0] * 10, "sanctuary": [40.0] * 3}
    assert union_mean_shown(parts, exact=False) == str(MEAN_HIDDEN)
    assert union_mean_shown(parts, exact=True) == round(320 / 13, 1)
    assert union_mean_shown({"tenant": [20.0] * 10, "sanctuary": []}, exact=False) == 20.0
    assert union_mean_shown({"tenant": []}, exact=False) is None
