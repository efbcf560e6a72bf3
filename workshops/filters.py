"""Filters of the barrier layer and list, and of the action tracker, for the HTML pages and
(next) the partner API. A value that is not right is an error with a message; the rest still
filter."""

import django_filters
from django.utils.translation import gettext_lazy as _

from assets.filters import AreaFilter, BBoxFilter
from core.filters import FilterSet
from workshops.models import Affects, BarrierKind, BarrierStatus
from workshops.selectors import ACTION_SORTS, current_barriers


class BarrierFilterSet(FilterSet):
    """?kind, affects, area, status, bbox. Without a status, the barriers still in the way
    (open or being tackled). A barrier that affects both groups also affects each one, so it
    stays in when one group is chosen."""

    kind = django_filters.ChoiceFilter(choices=BarrierKind.choices)
    affects = django_filters.ChoiceFilter(choices=Affects.choices, method="affecting")
    area = AreaFilter()
    status = django_filters.ChoiceFilter(choices=BarrierStatus.choices)
    bbox = BBoxFilter()

    def affecting(self, qs, _name, value):
        if value == Affects.BOTH:
            return qs.filter(affects=Affects.BOTH)
        return qs.filter(affects__in=[value, Affects.BOTH])

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = current_barriers(queryset)
        return super().filter_queryset(queryset)


class ActionFilterSet(FilterSet):
    """The action tracker's order (?sort=due, owner or status; due date when not given)."""

    sort = django_filters.ChoiceFilter(
        choices=[
            ("due", _("Due date, soonest first")),
            ("owner", _("Who will do it")),
            ("status", _("Status")),
        ],
        method="sorted_by",
    )

    def sorted_by(self, qs, _name, value):
        return qs.order_by(*ACTION_SORTS[value])

    @property
    def order(self) -> str:
        """The order the tracker shows: the one asked for, or due date."""
        self.is_valid()  # cleaned_data holds the values that are right, whatever else is not
        return self.form.cleaned_data.get("sort") or "due"
