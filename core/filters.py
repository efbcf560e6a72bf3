"""What every list filter shares: a form whose fields carry the ids the filter templates
give them (`filter-<name>`, so an error summary links to the field), and the 400 a JSON
endpoint answers with when a filter is not right."""

import django_filters
from django import forms
from django.http import JsonResponse


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
