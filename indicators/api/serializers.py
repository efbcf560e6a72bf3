"""The shapes of the indicators endpoints, for the OpenAPI schema (lists encode `values()`
rows, indicators/api/views.py)."""

from rest_framework import serializers

from assets.models import Domain
from indicators.models import Method, Polarity, Unit


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.SlugField()
    name_en = serializers.CharField()
    name_cy = serializers.CharField()
    definition_en = serializers.CharField()
    definition_cy = serializers.CharField()
    domain = serializers.ChoiceField(choices=Domain.choices)
    unit = serializers.ChoiceField(choices=Unit.choices)
    polarity = serializers.ChoiceField(choices=Polarity.choices)
    source = serializers.CharField()
    method = serializers.ChoiceField(choices=Method.choices)
    order = serializers.IntegerField()


class IndicatorValueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    indicator = serializers.SlugField(help_text="The indicator's code.")
    area = serializers.CharField(help_text="The area's code.")
    period = serializers.CharField()
    value = serializers.FloatField()
    lower = serializers.FloatField(allow_null=True)
    upper = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    source = serializers.CharField()
    illustrative = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


class AreaSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    area = serializers.CharField(help_text="The area's code.")
    assets = serializers.IntegerField(help_text="Published assets in the area.")
    assets_by_domain = serializers.DictField(child=serializers.IntegerField())
    assets_by_category = serializers.DictField(child=serializers.IntegerField())
    barriers_by_kind = serializers.DictField(child=serializers.IntegerField())
    workshops = serializers.IntegerField(allow_null=True)
    participants = serializers.JSONField(
        allow_null=True, help_text='People taking part: a count, or "<5" for 1 to 4.'
    )
    computed_at = serializers.DateTimeField()
