"""The shapes of the workshops endpoints, for the OpenAPI schema (lists encode `values()`
rows, workshops/api/views.py)."""

from rest_framework import serializers

from workshops.models import ActionStatus, Affects, BarrierKind, BarrierStatus, WorkshopStatus

SHOWN = 'A count, "<5" or "withheld".'


class BarrierAreasSerializer(serializers.Serializer):
    lsoa = serializers.CharField(allow_null=True)
    msoa = serializers.CharField(allow_null=True)
    local_authority = serializers.CharField(allow_null=True)


class BarrierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    site = serializers.SlugField(help_text="The site's short name.")
    kind = serializers.ChoiceField(choices=BarrierKind.choices)
    affects = serializers.ChoiceField(choices=Affects.choices)
    status = serializers.ChoiceField(choices=BarrierStatus.choices)
    votes = serializers.JSONField(help_text='Priority votes: a count, or "<5" for 1 to 4.')
    areas = BarrierAreasSerializer()
    created_at = serializers.DateTimeField()


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    site = serializers.SlugField(help_text="The site's short name.")
    title = serializers.CharField(help_text="What will be done.")
    title_cy = serializers.CharField(help_text="What will be done, in Welsh; empty when not given.")
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    due_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()


class AttendanceSerializer(serializers.Serializer):
    tenants = serializers.JSONField(help_text=SHOWN)
    sanctuary = serializers.JSONField(help_text=SHOWN)
    other = serializers.JSONField(help_text=SHOWN)
    total = serializers.JSONField(help_text=SHOWN)


class WorkshopSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    site = serializers.SlugField(help_text="The site's short name.")
    title = serializers.CharField()
    title_cy = serializers.CharField(help_text="The title in Welsh; empty when not given.")
    theme = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=WorkshopStatus.choices)
    attendance = AttendanceSerializer()
    updated_at = serializers.DateTimeField()
