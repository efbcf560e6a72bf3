"""Partner API: indicators, their values by area and period, and the area summaries
(DESIGN §2, §6). A summary's count of participants is shown through the disclosure rules
(participants.disclosure.count_shown, never exact: no key is a coordinator) and needs an
`aggregates` key. Lists encode `values()` rows: no model instance per row."""

from django_filters.rest_framework import (
    CharFilter,
    ChoiceFilter,
    FilterSet,
)
from drf_spectacular.utils import extend_schema
from rest_framework.filters import OrderingFilter

from assets.models import AreaLevel, Domain
from core.api.views import FilterBackend, ValuesViewSet
from core.api_auth import AggregatesScope
from core.filters import UpdatedSinceFilter
from indicators.models import AreaSummary, Indicator, IndicatorValue
from participants.disclosure import count_shown

from .serializers import AreaSummarySerializer, IndicatorSerializer, IndicatorValueSerializer


class IndicatorFilterSet(FilterSet):
    domain = ChoiceFilter(choices=Domain.choices)

    class Meta:
        model = Indicator
        fields = ["domain"]


@extend_schema(tags=["indicators"])
class IndicatorViewSet(ValuesViewSet):
    """The health-asset indicators, in English and Welsh, with their definition and source."""

    serializer_class = IndicatorSerializer
    fields = (
        "id", "code", "name_en", "name_cy", "definition_en", "definition_cy", "domain", "unit",
        "polarity", "source", "method", "order",
    )  # fmt: skip
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = IndicatorFilterSet
    ordering_fields = ["id", "code", "order"]
    ordering = ["order", "code"]

    def get_queryset(self):
        return Indicator.objects.all()


class IndicatorValueFilterSet(FilterSet):
    area = CharFilter(field_name="area__code", help_text="An area's code (W02000186).")
    level = ChoiceFilter(field_name="area__level", choices=AreaLevel.choices)
    indicator = CharFilter(field_name="indicator__code", help_text="An indicator's code.")
    period = CharFilter(help_text="A period as the values give it (2024, 2023-24).")
    updated_since = UpdatedSinceFilter(field_name="updated_at")

    class Meta:
        model = IndicatorValue
        fields = ["area", "level", "indicator", "period", "updated_since"]


@extend_schema(tags=["indicators"])
class IndicatorValueViewSet(ValuesViewSet):
    """Each indicator's value for an area and period, with its confidence limits and, where
    it is a rate or proportion, its numerator and denominator."""

    serializer_class = IndicatorValueSerializer
    fields = (
        "id", "indicator__code", "area__code", "period", "value", "lower", "upper",
        "numerator", "denominator", "source", "illustrative", "updated_at",
    )  # fmt: skip
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = IndicatorValueFilterSet
    ordering_fields = ["id", "period", "value", "updated_at"]
    ordering = ["indicator__order", "indicator__code", "area__code", "period", "id"]
    updated_field = "updated_at"

    def get_queryset(self):
        return IndicatorValue.objects.all()

    def row(self, row):
        row["indicator"] = row.pop("indicator__code")
        row["area"] = row.pop("area__code")
        return row


class AreaSummaryFilterSet(FilterSet):
    area = CharFilter(field_name="area__code", help_text="An area's code (W02000186).")
    level = ChoiceFilter(field_name="area__level", choices=AreaLevel.choices)
    updated_since = UpdatedSinceFilter(field_name="computed_at")

    class Meta:
        model = AreaSummary
        fields = ["area", "level", "updated_since"]


@extend_schema(tags=["indicators"])
class AreaSummaryViewSet(ValuesViewSet):
    """What the programme's own data says about each area: published assets by domain and
    category, barriers by kind, workshops, and participants — 1 to 4 as "<5". Needs an
    `aggregates` key."""

    serializer_class = AreaSummarySerializer
    permission_classes = [AggregatesScope]
    fields = (
        "id", "area__code", "assets", "assets_by_domain", "assets_by_category",
        "barriers_by_kind", "workshops", "participants", "computed_at",
    )  # fmt: skip
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = AreaSummaryFilterSet
    ordering_fields = ["id", "computed_at"]
    ordering = ["area__level", "area__code", "id"]
    updated_field = "computed_at"

    def get_queryset(self):
        return AreaSummary.objects.all()

    def row(self, row):
        row["area"] = row.pop("area__code")
        if row["participants"] is not None:
            row["participants"] = count_shown(row["participants"], exact=False)
        return row
