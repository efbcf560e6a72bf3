"""Reads for following up what workshops found and agreed: barriers as a layer on the shared
map, the common ground between social housing tenants and people seeking sanctuary, and one
workshop's report.

Every count of people leaves here already disclosure-controlled (DESIGN §6): exact only when
the caller says the reader may see exact numbers (participants.disclosure.sees_exact_numbers).
A workshop's attendance is one breakdown (`attendance_shown`) wherever any part of it is shown,
so the report, the workshop list and page and common ground cannot be set against each other.
"""

from collections.abc import Iterator

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.maps import point_layer
from assets.models import Asset, AssetStatus
from assets.selectors import endorsements_shown, valued_by_both
from core.languages import language_name
from participants.disclosure import Row, row_shown
from participants.models import Cohort
from participants.vocabularies import CohortGroup
from workshops.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Affects,
    Attendance,
    Barrier,
    BarrierStatus,
    Support,
    Workshop,
)
from workshops.services import is_overdue

OPEN_ACTIONS = (ActionStatus.AGREED, ActionStatus.IN_PROGRESS)


# --- The barrier layer and its list ----------------------------------------------------------


def current_barriers(barriers: QuerySet | None = None) -> QuerySet:
    """Barriers still in the way: open or being tackled (a resolved one leaves the map)."""
    return (Barrier.objects.all() if barriers is None else barriers).exclude(
        status=BarrierStatus.RESOLVED
    )


def barrier_layer(barriers: QuerySet) -> bytes:
    """Located barriers as lean GeoJSON: a point, a title, a kind and whom it affects (labels
    come once from the layer's options). One query (assets.maps.point_layer)."""
    return point_layer(barriers, "title", "kind", "affects")


def barrier_list(barriers: QuerySet) -> QuerySet:
    """Barriers (by default, workshops.filters.BarrierFilterSet leaves the current ones),
    located or not: the list alternative to the barrier layer."""
    return barriers.select_related("areas__msoa", "workshop").order_by(
        "kind", "-priority_votes", "title", "pk"
    )


# --- A workshop's attendance, by group ------------------------------------------------------


def attended_by(cohorts: list[str]) -> Q:
    """Attendance of people in these cohorts, whether on the register by code or kept as an
    anonymous count after they withdrew (workshops/erasure.py)."""
    return Q(participant__cohort__in=cohorts) | Q(cohort__in=cohorts)


ATTENDANCE_GROUPS = {
    CohortGroup.TENANTS.value: (CohortGroup.TENANTS.label, attended_by([Cohort.TENANT])),
    CohortGroup.SANCTUARY.value: (CohortGroup.SANCTUARY.label, attended_by(Cohort.sanctuary())),
    CohortGroup.OTHER.value: (CohortGroup.OTHER.label, attended_by([Cohort.OTHER])),
}


def _attendees(group: str, workshop: str) -> Coalesce:
    """People of a group on the register of the workshop that the outer row's field
    `workshop` names. A subquery, so the groups are counted without multiplying joins."""
    count = (
        Attendance.objects.filter(ATTENDANCE_GROUPS[group][1], workshop=OuterRef(workshop))
        .order_by()
        .values("workshop")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


def with_attendance(queryset: QuerySet, *, workshop: str = "pk") -> QuerySet:
    """Each row with how many of each group came to its workshop (`pk` for workshops,
    `workshop` for what was named at one): attending_tenants, _sanctuary and _other."""
    return queryset.annotate(
        **{f"attending_{group}": _attendees(group, workshop) for group in ATTENDANCE_GROUPS}
    )


def attendance_shown(row, *, exact: bool) -> Row:
    """Who came to a workshop, by group, and the total, as any page may show them: the same
    breakdown (participants.disclosure.row_shown) whichever of its parts a page shows. `row`
    is a workshop or barrier annotated by `with_attendance`."""
    return row_shown(
        {group: getattr(row, f"attending_{group}") for group in ATTENDANCE_GROUPS}, exact=exact
    )


def with_attending(workshops, *, exact: bool) -> list[Workshop]:
    """Each workshop with the number attending as it may be shown: the total of the same
    breakdown the report shows (DESIGN §6)."""
    workshops = list(workshops)
    for workshop in workshops:
        workshop.attending_shown = attendance_shown(workshop, exact=exact).total
    return workshops


# --- Common ground ---------------------------------------------------------------------------


def shared_barriers(barriers: QuerySet) -> QuerySet:
    """Of `barriers`, those both groups raised: marked as affecting both, or named at a
    workshop that tenants and people seeking sanctuary attended together."""
    return with_attendance(barriers, workshop="workshop").filter(
        Q(affects=Affects.BOTH) | Q(attending_tenants__gt=0, attending_sanctuary__gt=0)
    )


def _due_first(actions: QuerySet) -> QuerySet:
    return actions.order_by(F("due_on").asc(nulls_last=True), "pk")


def _shared_barrier_rows(barriers: QuerySet, *, exact: bool) -> list[dict]:
    barriers = (
        shared_barriers(barriers)
        .select_related("workshop")
        .prefetch_related(Prefetch("actions", queryset=_due_first(Action.objects.all())))
    )
    rows = []
    for barrier in barriers:
        attendance = attendance_shown(barrier, exact=exact).cells
        rows.append(
            {
                "barrier": barrier,
                "affects_both": barrier.affects == Affects.BOTH,
                "together": barrier.attending_tenants > 0 and barrier.attending_sanctuary > 0,
                "tenants": attendance["tenants"],
                "sanctuary": attendance["sanctuary"],
                "actions": [{"action": a, "overdue": is_overdue(a)} for a in barrier.actions.all()],
            }
        )
    return rows


def _bridging_asset_rows(*, user, exact: bool) -> list[dict]:
    assets = (
        valued_by_both(Asset.objects.visible_to(user).filter(status=AssetStatus.PUBLISHED))
        .select_related("category")
        .order_by((F("tenant_endorsements") + F("sanctuary_endorsements")).desc(), "name", "pk")
    )
    return [{"asset": asset, **endorsements_shown(asset, exact=exact).cells} for asset in assets]


def _shared_action_rows(barriers: QuerySet) -> list[dict]:
    actions = _due_first(
        Action.objects.filter(barriers__in=shared_barriers(barriers).values("pk")).distinct()
    ).prefetch_related("barriers")
    return [{"action": action, "overdue": is_overdue(action)} for action in actions]


def common_ground(*, user, exact: bool, barriers: QuerySet | None = None) -> dict:
    """What tenants and people seeking sanctuary share: barriers both groups raised among
    `barriers` (by default those of the sites `user` reaches, core.sites), with their votes
    and actions; published assets both groups value that `user` may see (with how many of
    each; published assets are every site's); and the actions tackling those barriers.
    Counts of people are disclosure-controlled unless `exact`. Five queries, however many
    rows."""
    barriers = Barrier.objects.for_user(user) if barriers is None else barriers
    return {
        "barriers": _shared_barrier_rows(barriers, exact=exact),
        "assets": _bridging_asset_rows(user=user, exact=exact),
        "actions": _shared_action_rows(barriers),
    }


# --- The action tracker ----------------------------------------------------------------------

ACTION_SORTS = {
    "due": [F("due_on").asc(nulls_last=True), "pk"],
    "owner": [Lower("owner"), F("due_on").asc(nulls_last=True), "pk"],
    "status": ["status", F("due_on").asc(nulls_last=True), "pk"],
}


def overdue_actions_count(user) -> int:
    """How many open actions this person follows up are past their due date (the home page's
    count; the same rule as services.is_overdue)."""
    return (
        Action.objects.run_by(user)
        .filter(status__in=OPEN_ACTIONS, due_on__lt=timezone.localdate())
        .count()
    )


def open_actions(*, user, sort: str = "due") -> QuerySet:
    """The actions agreed or in progress that this person follows up (Action.objects.run_by),
    with what they tackle and their history, in the order asked for (due date by default;
    unknown orders fall back to it)."""
    return (
        Action.objects.run_by(user)
        .filter(status__in=OPEN_ACTIONS)
        .select_related("workshop")
        .prefetch_related(
            "barriers",
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("by")),
        )
        .order_by(*ACTION_SORTS.get(sort, ACTION_SORTS["due"]))
    )


# --- A workshop's report ---------------------------------------------------------------------


def workshop_attendance(workshop: Workshop, *, exact: bool) -> Row:
    """One workshop's attendance by group as it may be shown (one query)."""
    counted = with_attendance(Workshop.objects.filter(pk=workshop.pk)).get()
    return attendance_shown(counted, exact=exact)


def _attendance(workshop: Workshop, *, exact: bool) -> dict:
    shown = workshop_attendance(workshop, exact=exact)
    return {
        "rows": [
            {"group": key, "label": label, "count": shown.cells[key]}
            for key, (label, _q) in ATTENDANCE_GROUPS.items()
        ],
        "total": shown.total,
        "withheld": shown.withheld,
    }


def workshop_report(workshop: Workshop, *, exact: bool) -> dict:
    """One workshop: who came by group (disclosure-controlled unless `exact`), the assets it
    identified, the barriers it named and the actions it agreed. Five queries."""
    actions = _due_first(workshop.actions.all()).prefetch_related("barriers")
    return {
        "workshop": workshop,
        "languages": [language_name(code) for code in workshop.languages],
        "support": [Support(value).label for value in workshop.support if value in Support.values],
        "attendance": _attendance(workshop, exact=exact),
        "assets": workshop.assets_identified.select_related("category").order_by("name", "pk"),
        "barriers": list(workshop.barriers.order_by("-priority_votes", "title", "pk")),
        "actions": [{"action": action, "overdue": is_overdue(action)} for action in actions],
    }


def _count(value: int | str) -> int | str:
    return value if isinstance(value, int) else str(value)


def report_rows(report: dict) -> Iterator[list]:
    """The report as the rows of a spreadsheet: a titled block for each part, a blank row
    between blocks. Labels in the active language; numbers stay numbers."""
    workshop = report["workshop"]
    yield [_("Workshop"), workshop.title]
    yield [_("Theme"), workshop.theme]
    yield [_("Starts"), workshop.starts_at.isoformat(timespec="minutes")]
    yield [_("Ends"), workshop.ends_at.isoformat(timespec="minutes")]
    yield [_("Venue"), workshop.venue.display_name if workshop.venue else ""]
    yield [_("Status"), workshop.get_status_display()]
    yield []
    yield [_("Who came")]
    yield [_("Group"), _("People")]
    for row in report["attendance"]["rows"]:
        yield [str(row["label"]), _count(row["count"])]
    yield [_("Total"), _count(report["attendance"]["total"])]
    yield []
    yield [_("Assets identified")]
    yield [_("Name"), _("Category"), _("Status")]
    for asset in report["assets"]:
        yield [asset.display_name, asset.category.name, asset.get_status_display()]
    yield []
    yield [_("Barriers")]
    yield [_("Barrier"), _("Kind"), _("Affects"), _("Priority votes"), _("Status")]
    for barrier in report["barriers"]:
        yield [
            barrier.title,
            barrier.get_kind_display(),
            barrier.get_affects_display(),
            barrier.priority_votes,
            barrier.get_status_display(),
        ]
    yield []
    yield [_("Actions")]
    yield [
        _("What will be done"),
        _("Who will do it"),
        _("Due by"),
        _("Status"),
        _("Overdue"),
        _("Tackles"),
        _("Outcome"),
    ]
    for row in report["actions"]:
        action = row["action"]
        yield [
            action.title,
            action.owner,
            action.due_on.isoformat() if action.due_on else "",
            action.get_status_display(),
            _("Yes") if row["overdue"] else _("No"),
            "; ".join(barrier.title for barrier in action.barriers.all()),
            action.outcome,
        ]
