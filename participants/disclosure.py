"""Statistical disclosure control (DESIGN §6). The one owner of the rules: every page,
download and API response that counts people, or averages over them, calls this module.
docs/privacy.md ("Disclosure control") says where each rule is enforced and which tests pin it.

The rules, for everyone but coordinators (`sees_exact_numbers`):

1. A count of 1 to 4 people is shown as "<5" (`count_shown`). Zero is shown: it says nothing
   about anyone.
2. A breakdown (a row of cells that add up to a total) is protected as if its total were shown,
   whether or not the page shows it (`row_shown`): a total shown later, or on another page, then
   cannot undo it. Where any cell shows as "<5" and the total is 5 or more, one more cell is
   withheld (the first shown, non-zero one: chosen by place, not size, so the choice tells
   nothing), and the total too where the hidden and withheld cells together are under 10 (they
   might be 1 and 5) or no cell is left to withhold. Every hidden cell can then still be more
   than one value, whatever else the row shows.
3. A mean is shown only over 10 or more people (`mean_shown`), and only per group: no page
   shows a mean over a union of groups beside the mean of a part, which would give away the
   other part's mean.

Consistency across pages. A page may show any cells of a breakdown, but only as `row_shown`
gives them for the whole row — the same row on every page — so that no two pages together tell
more than the row does. The cases:

- A workshop's attendance (tenants, people seeking sanctuary, other; total): the workshop
  report page, its CSV and PDF, the workshop list and page (the total) and common ground (the
  tenants and sanctuary cells of the barriers named at it) all show
  `workshops.selectors.attendance_shown` of the same three counts. Before, common ground showed
  "7 tenants" where the report withheld it, and the list showed the total the report withheld.
- An asset's endorsements (tenants, people seeking sanctuary, other): the asset's page and
  common ground both show `assets.selectors.endorsements_shown` of the same counts.
- The evaluation summary: per time point, the people with data by group (tenants, people
  seeking sanctuary, other) is one row; per group, SWEMWBS change (improved, no meaningful
  change, worse; total = people with both scores) is one row.
- The network tables: per time point, the people with network data by group is one row.
- The evaluation report (indicators.evaluation): per instrument score and time point, the
  people with a score by group is one row ("all" its total); per score, the people with
  baseline and follow-up by group is one row; per group, SWEMWBS improved / no meaningful
  change / worse is one row. A figure over all groups shows beside the groups' own only where
  `union_shown` (rule 3).
- The action tracker shows no count of people (only an action's number of updates).

Known limits, left as they are: a facilitator sees who came to their own workshops on the
register, and an evaluator's pseudonymised dataset and sociogram show everyone by code, so
suppression on their pages protects against casual reading, not against them; nested counts of
different things (people with answers at baseline vs. people with both SWEMWBS scores) are not
cross-suppressed.
"""

from dataclasses import dataclass
from statistics import fmean

from django.utils.translation import gettext_lazy as _

from core.models import Role

SMALL_COUNT = 5
MIN_GROUP_FOR_MEAN = 10
SUPPRESSED = "<5"
# A cell hidden only because, with the total or the other cells, it would give away a "<5".
WITHHELD = _("withheld")
MEAN_HIDDEN = _("not shown (fewer than 10)")


def sees_exact_numbers(user) -> bool:
    """Coordinators only. From the role the request already read (User.role), not a query
    of its own."""
    return bool(user and user.is_authenticated and getattr(user, "role", None) == Role.COORDINATOR)


def count_shown(count: int, *, exact: bool) -> int | str:
    """The count as it may be shown: exact for coordinators, "<5" for 1–4 otherwise."""
    if exact or count == 0 or count >= SMALL_COUNT:
        return count
    return SUPPRESSED


@dataclass(frozen=True)
class Row:
    """A breakdown as it may be shown: each cell and the total, an int or "<5" or WITHHELD."""

    cells: dict
    total: int | str

    @property
    def withheld(self) -> bool:
        return WITHHELD in self.cells.values() or self.total == WITHHELD


def row_shown(counts: dict[str, int], *, exact: bool) -> Row:
    """A breakdown of people and its total as they may be shown (rules 1 and 2 above).

    Where a cell shows as "<5" and the total is 5 or more, the total minus the other cells
    would give it away, so one more cell is withheld: the first (in the row's own order) that
    is shown and not zero. Which one depends only on what the reader sees anyway (which cells
    are 0, "<5" or 5+), never on sizes, so the choice itself tells nothing. The hidden and
    withheld cells together are then the total minus the cells shown; when that is under
    2 × SMALL_COUNT (a "<5" and a withheld cell that might be 1 and 5), the total is withheld
    too, so that every hidden cell could still be more than one value. Where there is no
    cell left to withhold, the total is withheld. Checked exhaustively in
    participants/tests/test_disclosure.py."""
    total = sum(counts.values())
    if exact:
        return Row(cells=dict(counts), total=total)
    cells = {key: count_shown(value, exact=False) for key, value in counts.items()}
    hidden = [key for key, value in cells.items() if value == SUPPRESSED]
    shown_total = count_shown(total, exact=False)
    # A total under 5 hides its cells' sum, unless there are so many cells (4 of 1) that
    # only one sum fits: then it is withheld like any other.
    if not hidden or (shown_total == SUPPRESSED and len(hidden) < SMALL_COUNT - 1):
        return Row(cells=cells, total=shown_total)
    others = [key for key, value in cells.items() if isinstance(value, int) and value]
    if not others:
        return Row(cells=cells, total=WITHHELD)
    cells[others[0]] = WITHHELD
    concealed = sum(counts[key] for key in [*hidden, others[0]])
    return Row(cells=cells, total=WITHHELD if concealed < 2 * SMALL_COUNT else shown_total)


def union_shown(sizes, *, exact: bool) -> bool:
    """Whether a figure over several groups together (a mean, a mean change, a share) may be
    shown beside the same figure for each group: outside coordinators only when every group
    with anyone in it has MIN_GROUP_FOR_MEAN people or more. Otherwise the figure over all,
    less the figures of the groups shown, would give away a hidden group's (rule 3)."""
    return exact or all(size == 0 or size >= MIN_GROUP_FOR_MEAN for size in sizes)


def union_mean_shown(parts: dict[str, list[float]], *, exact: bool) -> float | str | None:
    """The mean over every part's values together, as it may be shown beside the parts'
    own means (`union_shown`); None without values."""
    values = [value for part in parts.values() for value in part]
    if not values:
        return None
    if not union_shown([len(part) for part in parts.values()], exact=exact):
        return str(MEAN_HIDDEN)
    return mean_shown(values, exact=exact)


def mean_shown(values: list[float], *, exact: bool) -> float | str | None:
    """The mean of these people's values, to one decimal place, as it may be shown: None
    without values; outside coordinators only over MIN_GROUP_FOR_MEAN people or more."""
    if not values:
        return None
    if exact or len(values) >= MIN_GROUP_FOR_MEAN:
        return round(fmean(values), 1)
    return str(MEAN_HIDDEN)
