"""The asset map's filters, for its list, its layer and (next) the partner API. Each value
that is not right is an error with a message a person can act on; the rest still filter."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from assets.maps import bbox_parse
from assets.models import Area, AreaLevel, Cost, Domain, WelcomingTo
from assets.selectors import valued_by_both
from core.filters import FilterSet, UpdatedSinceFilter
from core.languages import language_choices


class BBoxField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if (bbox := bbox_parse(value)) is None:
            raise forms.ValidationError(
                _(
                    "Give the box as four numbers, west,south,east,north, with west no "
                    "further east than east and south no further north than north."
                ),
                code="invalid",
            )
        return bbox


@extend_schema_field(OpenApiTypes.STR)  # "west,south,east,north", in the API's schema
class BBoxFilter(django_filters.Filter):
    """?bbox=west,south,east,north: rows placed inside the box (assets.models.Located)."""

    field_class = BBoxField

    def filter(self, qs, value):
        return qs.in_bbox(*value) if value else qs


@extend_schema_field(OpenApiTypes.STR)  # an ONS code, in the API's schema
class AreaFilter(django_filters.ModelChoiceFilter):
    """?area=<ONS code>: rows placed in that LSOA, MSOA or local authority."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Area.objects.exclude(level=AreaLevel.SITE),
            to_field_name="code",
            method=self.in_area,
            error_messages={"invalid_choice": _("No area has the code “%(value)s”.")},
            **kwargs,
        )

    @staticmethod
    def in_area(qs, _name, area):
        field = {AreaLevel.LSOA: "lsoa", AreaLevel.MSOA: "msoa"}.get(area.level, "local_authority")
        return qs.filter(**{f"areas__{field}": area})


class AssetFilterSet(FilterSet):
    """The map's and the list's filters (?q, domain, category, welcoming, language, free,
    cost, both, area, bbox, updated_since)."""

    q = django_filters.CharFilter(max_length=100, method="search")
    domain = django_filters.ChoiceFilter(choices=Domain.choices)
    category = django_filters.CharFilter(max_length=60, method="in_category")
    welcoming = django_filters.ChoiceFilter(choices=WelcomingTo.choices, method="welcoming_to")
    language = django_filters.ChoiceFilter(choices=language_choices, method="speaking")
    free = django_filters.BooleanFilter(method="only_free", widget=BooleanWidget)
    cost = django_filters.ChoiceFilter(choices=Cost.choices)
    area = AreaFilter()
    bbox = BBoxFilter()
    updated_since = UpdatedSinceFilter(field_name="updated_at")
    # Last: it counts endorsements over what every other filter left.
    both = django_filters.BooleanFilter(method="valued_by_both", widget=BooleanWidget)

    def search(self, qs, _name, value):
        return qs.filter(
            Q(name__icontains=value)
            | Q(name_cy__icontains=value)
            | Q(description__icontains=value)
            | Q(address__icontains=value)
        )

    def in_category(self, qs, _name, slug):
        return qs.filter(Q(category__slug=slug) | Q(category__parent__slug=slug))

    def welcoming_to(self, qs, _name, value):
        return qs.filter(welcoming_to__icontains=f'"{value}"')

    def speaking(self, qs, _name, value: str):
        return qs.filter(languages__icontains=f'"{value}"')

    def only_free(self, qs, _name, value):
        return qs.filter(cost=Cost.FREE) if value else qs

    def valued_by_both(self, qs, _name, value):
        return valued_by_both(qs) if value else qs
