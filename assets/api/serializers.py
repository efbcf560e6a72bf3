"""The shapes of the assets endpoints, for the OpenAPI schema. List endpoints do not build
a serializer per row: they encode `values()` rows (assets/api/views.py), like the map layer;
these serializers describe the same fields."""

from rest_framework import serializers

from assets.models import AreaLevel, Cost, Domain


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    name_en = serializers.CharField()
    name_cy = serializers.CharField()
    domain = serializers.ChoiceField(choices=Domain.choices)
    parent = serializers.SlugField(allow_null=True, help_text="The parent category's slug.")
    order = serializers.IntegerField()


class AreaCodesSerializer(serializers.Serializer):
    lsoa = serializers.CharField(allow_null=True)
    msoa = serializers.CharField(allow_null=True)
    local_authority = serializers.CharField(allow_null=True)


class AssetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_cy = serializers.CharField()
    description = serializers.CharField()
    description_cy = serializers.CharField()
    category = serializers.SlugField(help_text="The category's slug.")
    domain = serializers.ChoiceField(choices=Domain.choices)
    address = serializers.CharField()
    postcode = serializers.CharField()
    contact = serializers.CharField()
    website = serializers.CharField()
    opening_times = serializers.CharField()
    cost = serializers.ChoiceField(choices=[("", ""), *Cost.choices])
    languages = serializers.ListField(child=serializers.CharField())
    accessibility = serializers.CharField()
    welcoming_to = serializers.ListField(child=serializers.CharField())
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    areas = AreaCodesSerializer()
    last_verified_on = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ValuedBySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tenants = serializers.JSONField(help_text='A count, "<5" or "withheld".')
    sanctuary = serializers.JSONField(help_text='A count, "<5" or "withheld".')
    other = serializers.JSONField(help_text='A count, "<5" or "withheld".')
    total = serializers.JSONField(help_text='A count, "<5" or "withheld".')


class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_cy = serializers.CharField()
    level = serializers.ChoiceField(choices=AreaLevel.choices)
    parent = serializers.CharField(allow_null=True, help_text="The parent area's code.")
    population = serializers.IntegerField(allow_null=True)
    boundary = serializers.JSONField(
        required=False, allow_null=True, help_text="Only with `boundary=true`."
    )
