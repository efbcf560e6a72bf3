"""What every list filter shares: a form whose fields carry the ids the filter templates
give them (`filter-<name>`, so an error summary links to the field), and the 400 a JSON
endpoint answers with when a filter is not right."""

from datetime import UTC, datetime

import django_filters
from django import forms
from django.http import JsonResponse
from django.utils import timezone


class FilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.FilterSet):
    """A filter set for an HTML page and a JSON endpoint alike. An HTML page shows
    `errors` and the rows the valid filters give; a JSON endpoint answers `bad_filters`."""

    class Meta:
        form = FilterForm


def bad_filters(filterset: FilterSet) -> JsonResponse:
    """400 with each field's errors, as the API's exception handler gives them."""
    errors = {field: [str(error) for error in errors] for field, errors in filterset.errors.items()}
    return JsonResponse(errors, status=400)


def as_utc(moment: datetime) -> datetime | None:
    """A moment a person typed, in UTC, for the database: PostgreSQL refuses offsets that
    Python accepts (beyond ±15:59), and a naive time is read in the site's zone. None when it
    lies beyond what a datetime can hold in UTC (the first or last day of year 1 or 9999)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        return None


class UpdatedSinceFilter(django_filters.DateTimeFilter):
    """`updated_since`: rows changed at or after the moment given, whatever its offset."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "gte")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        moment = as_utc(value)
        if moment is None:  # before year 1 began in UTC: everything; past 9999: nothing
            return qs if value.year <= 1 else qs.none()
        return super().filter(qs, moment)
