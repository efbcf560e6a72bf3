"""Partner API: barriers, actions and workshops (DESIGN §2, §6). Barriers are not moderated,
so no words a participant wrote leave the project: a barrier is its kind, whom it affects,
its areas, its status and its votes — no title, no description, no point on the map (none is
public). An action shows its public fields — never its owner, who is a person. A workshop's
attendance is disclosure-controlled (workshops.selectors.attendance_shown) and needs an
`aggregates` key. Lists encode `values()` rows: no model instance per row."""

from types import SimpleNamespace

from django_filters.rest_framework import (
    CharFilter,
    ChoiceFilter,
    FilterSet,
    MultipleChoiceFilter,
)
from drf_spectacular.utils import extend_schema
from rest_framework.filters import OrderingFilter

from core.api.views import FilterBackend, ValuesViewSet, site_scoped
from core.api_auth import AggregatesScope
from core.filters import UpdatedSinceFilter
from participants.disclosure import count_shown
from workshops.models import (
    Action,
    ActionStatus,
    Affects,
    Barrier,
    BarrierKind,
    BarrierStatus,
    Workshop,
    WorkshopStatus,
)
from workshops.selectors import ATTENDANCE_GROUPS, attendance_shown, with_attendance

from .serializers import ActionSerializer, BarrierSerializer, WorkshopSerializer


class BarrierFilterSet(FilterSet):
    kind = MultipleChoiceFilter(choices=BarrierKind.choices)
    affects = MultipleChoiceFilter(choices=Affects.choices)
    status = MultipleChoiceFilter(choices=BarrierStatus.choices)
    site = CharFilter(field_name="site__slug", help_text="A site's short name.")
    area = CharFilter(
        method="in_area", help_text="An LSOA, MSOA or local authority code: barriers in it."
    )

    class Meta:
        model = Barrier
        fields = ["kind", "affects", "status", "site", "area"]

    def in_area(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(areas__lsoa__code=value)
            | Q(areas__msoa__code=value)
            | Q(areas__local_authority__code=value)
        )


@extend_schema(tags=["barriers"])
class BarrierViewSet(ValuesViewSet):
    """What gets in the way, as counted things: kind, whom it affects, its areas, status and
    priority votes (1 to 4 show as "<5"). No words a participant wrote and no location."""

    serializer_class = BarrierSerializer
    fields = (
        "id",
        "site__slug",
        "kind",
        "affects",
        "status",
        "priority_votes",
        "areas__lsoa__code",
        "areas__msoa__code",
        "areas__local_authority__code",
        "created_at",
    )
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = BarrierFilterSet
    ordering_fields = ["id", "priority_votes", "created_at"]
    ordering = ["-priority_votes", "id"]

    def get_queryset(self):
        return site_scoped(Barrier.objects.all(), self.request)

    def row(self, row):
        return {
            "id": row["id"],
            "site": row["site__slug"],
            "kind": row["kind"],
            "affects": row["affects"],
            "status": row["status"],
            "votes": count_shown(row["priority_votes"], exact=False),
            "areas": {
                "lsoa": row["areas__lsoa__code"],
                "msoa": row["areas__msoa__code"],
                "local_authority": row["areas__local_authority__code"],
            },
            "created_at": row["created_at"],
        }


class ActionFilterSet(FilterSet):
    status = MultipleChoiceFilter(choices=ActionStatus.choices)
    site = CharFilter(field_name="site__slug", help_text="A site's short name.")

    class Meta:
        model = Action
        fields = ["status", "site"]


@extend_schema(tags=["actions"])
class ActionViewSet(ValuesViewSet):
    """What was agreed to tackle barriers: what will be done, its status, when it is due
    and its outcome. Never who will do it (a person)."""

    serializer_class = ActionSerializer
    fields = ("id", "site__slug", "title", "title_cy", "status", "due_on", "outcome")
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = ActionFilterSet
    ordering_fields = ["id", "due_on"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return site_scoped(Action.objects.all(), self.request)

    def row(self, row):
        row["site"] = row.pop("site__slug")
        return row


class WorkshopFilterSet(FilterSet):
    status = ChoiceFilter(choices=WorkshopStatus.choices)
    site = CharFilter(field_name="site__slug", help_text="A site's short name.")
    updated_since = UpdatedSinceFilter(field_name="updated_at")

    class Meta:
        model = Workshop
        fields = ["status", "site", "updated_since"]


@extend_schema(tags=["workshops"])
class WorkshopViewSet(ValuesViewSet):
    """Workshops: when, the theme, the site, and who came by group — 1 to 4 as "<5", and a
    cell or total that would give one away "withheld". Needs an `aggregates` key."""

    serializer_class = WorkshopSerializer
    permission_classes = [AggregatesScope]
    fields = (
        "id",
        "site__slug",
        "title",
        "title_cy",
        "theme",
        "starts_at",
        "ends_at",
        "status",
        "updated_at",
        *(f"attending_{group}" for group in ATTENDANCE_GROUPS),
    )
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = WorkshopFilterSet
    ordering_fields = ["id", "starts_at", "updated_at"]
    ordering = ["-starts_at", "id"]
    updated_field = "updated_at"

    def get_queryset(self):
        return with_attendance(site_scoped(Workshop.objects.all(), self.request))

    def row(self, row):
        attending = {group: row.pop(f"attending_{group}") for group in ATTENDANCE_GROUPS}
        shown = attendance_shown(
            SimpleNamespace(**{f"attending_{g}": n for g, n in attending.items()}), exact=False
        )
        row["site"] = row.pop("site__slug")
        row["attendance"] = {**shown.cells, "total": shown.total}
        return row
