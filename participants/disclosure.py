"""Statistical disclosure control (DESIGN §6): outside coordinators, counts of people from 1
to 4 show as "<5", and means only for groups of 10 or more. Every page, download and API
response that counts people goes through here."""

from django.utils.translation import gettext_lazy as _

SMALL_COUNT = 5
MIN_GROUP_FOR_MEAN = 10
SUPPRESSED = "<5"


def sees_exact_numbers(user) -> bool:
    return bool(user and user.is_authenticated and user.groups.filter(name="coordinator").exists())


def count_shown(count: int, *, exact: bool) -> int | str:
    """The count as it may be shown: exact for coordinators, "<5" for 1–4 otherwise."""
    if exact or count == 0 or count >= SMALL_COUNT:
        return count
    return SUPPRESSED


def mean_shown(mean: float | None, group_size: int, *, exact: bool) -> float | str | None:
    if mean is None:
        return None
    if exact or group_size >= MIN_GROUP_FOR_MEAN:
        return round(mean, 1)
    return str(_("not shown (fewer than 10)"))
