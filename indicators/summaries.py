"""Area summaries: what the programme's own data says about each area, and the indicators
computed from it. A full recompute is one GROUP BY per level in SQL (never a loop over rows),
so all of Wales with 100,000 assets is a handful of queries. A change recomputes only the areas
it touched: their LSOAs by the same GROUP BYs, their MSOAs and local authorities by adding up
their LSOAs' counts (every count is additive: an asset, barrier or workshop venue is placed in
an LSOA and takes that LSOA's MSOA and local authority, assets.geo), and their sites directly
(a site's rows are its own, not its areas'; its means need the people's answers). Rates,
shares and intervals are then worked out from the counts the same way either path
(bench/area_summaries.py measures both; a test keeps them equal)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from assets.models import Area, AreaLevel, Asset, AssetCategory, Cost, Domain
from indicators.models import AreaSummary, Indicator, IndicatorValue
from indicators.statistics import mean_interval, percent_interval, rate_interval
from indicators.versions import indicators_changed
from participants.disclosure import MIN_GROUP_FOR_MEAN
from participants.models import Participant, ParticipantStatus, QuestionnaireResponse
from participants.vocabularies import TimePoint
from workshops.models import Barrier, Workshop

LEVELS = {  # the located rows' areas are in their `areas` table (assets.models.LocatedAreas)
    AreaLevel.LSOA: "areas__lsoa_id",
    AreaLevel.MSOA: "areas__msoa_id",
    AreaLevel.LOCAL_AUTHORITY: "areas__local_authority_id",
}
# Computed indicators that count assets of some categories (a category or its children).
FAMILIES = {
    "community-buildings": ["community-centre", "library", "place-of-worship"],
    "green-space": ["green-space", "allotment"],
    "advice-services": ["advice"],
}
WELCOMING_SANCTUARY = '"sanctuary"'  # as it appears in the JSON list of welcoming_to
# Computed from the questionnaires, for a site: indicator → (instrument, score key).
QUESTIONNAIRE_INDICATORS = {
    "mental-wellbeing": ("swemwbs", "metric"),
    "life-satisfaction": ("ons4", "ons4_satisfaction"),
    "resilience": ("brs", "mean"),
    "self-efficacy": ("gse", "total"),
    "sense-of-community": ("community", "mean"),
    "loneliness": ("ucla3", "total"),
}


def _categories() -> tuple[dict[int, str], dict[int, list[str]]]:
    """Category slugs by id, and the families (FAMILIES) each category id counts towards: a
    family is some categories and their children. The counting query then groups on the
    asset's own column, with no join to the categories."""
    rows = list(AssetCategory.objects.values_list("pk", "slug", "parent__slug"))
    families = {
        pk: [code for code, slugs in FAMILIES.items() if slug in slugs or parent in slugs]
        for pk, slug, parent in rows
    }
    return {pk: slug for pk, slug, _parent in rows}, families


def _counts(field: str, area_ids, categories, *, venues: bool = True) -> dict[int, dict]:
    """The counts of the areas (or sites) in `field`: the shareable assets in one GROUP BY
    by area, domain and category (every other count of assets is a sum of its rows), the
    barriers by kind, and (with `venues`) the workshops held at an asset there."""
    assets = Asset.objects.shareable().filter(**{f"{field}__isnull": False}).order_by()
    barriers = Barrier.objects.filter(**{f"{field}__isnull": False}).order_by()
    workshops = Workshop.objects.filter(**{f"venue__{field}__isnull": False}).order_by()
    if area_ids is not None:
        assets = assets.filter(**{f"{field}__in": area_ids})
        barriers = barriers.filter(**{f"{field}__in": area_ids})
        workshops = workshops.filter(**{f"venue__{field}__in": area_ids})
    counts: dict[int, dict] = defaultdict(_empty)
    slugs, families = categories
    rows = assets.values_list(field, "domain", "category_id").annotate(
        n=Count("id"),
        costed=Count("id", filter=~Q(cost="")),
        free=Count("id", filter=Q(cost__in=[Cost.FREE, Cost.LOW])),
        welcoming=Count("id", filter=Q(welcoming_to__icontains=WELCOMING_SANCTUARY)),
    )
    for area_id, domain, category_id, n, costed, free, welcoming in rows:
        area = counts[area_id]
        area["total"] += n
        area["costed"] += costed
        area["free"] += free
        area["welcoming"] += welcoming
        area["by_domain"][domain] += n
        area["by_category"][slugs[category_id]] += n
        for family in families[category_id]:
            area[family] += n
    for area_id, kind, n in barriers.values_list(field, "kind").annotate(n=Count("id")):
        counts[area_id]["barriers"][kind] += n
    if venues:
        for area_id, n in workshops.values_list(f"venue__{field}").annotate(n=Count("id")):
            counts[area_id]["workshops"] = n
    return counts


def _empty() -> dict:
    return {
        "total": 0, "costed": 0, "free": 0, "welcoming": 0, "workshops": 0,
        **dict.fromkeys(FAMILIES, 0),
        "by_domain": Counter(), "by_category": Counter(), "barriers": Counter(),
    }  # fmt: skip


def _summed(parts: Iterable[dict]) -> dict:
    whole = _empty()
    for part in parts:
        for key, value in part.items():
            whole[key] += value
    return whole


def _values(area: Area, counts: dict, indicators: dict, period: str) -> list[IndicatorValue]:
    """The computed indicators of one area that its counts can give."""
    found = {}
    if counts["costed"]:
        found["free-low-cost"] = (counts["free"], counts["costed"], percent_interval)
    if counts["total"]:
        found["welcoming-sanctuary"] = (counts["welcoming"], counts["total"], percent_interval)
    if area.population:
        per = {"assets-per-1000": counts["total"], "community-groups": counts["by_domain"][
            Domain.COMMUNITY], **{code: counts[code] for code in FAMILIES}}  # fmt: skip
        for code, n in per.items():
            found[code] = (n, area.population, rate_interval)
    return [
        IndicatorValue(
            indicator=indicators[code],
            area=area,
            period=period,
            value=value,
            lower=lower,
            upper=upper,
            numerator=numerator,
            denominator=denominator,
            source=indicators[code].source,
        )  # fmt: skip
        for code, (numerator, denominator, method) in found.items()
        if code in indicators
        for value, lower, upper in [method(numerator, denominator)]
    ]


SCALARS = ("costed", "free", "welcoming", *FAMILIES)


def _summary(area: Area, counts: dict, now) -> AreaSummary:
    return AreaSummary(
        area=area,
        assets=counts["total"],
        assets_by_domain=dict(counts["by_domain"]),
        assets_by_category=dict(counts["by_category"]),
        barriers_by_kind=dict(counts["barriers"]),
        figures={key: counts[key] for key in SCALARS},
        workshops=counts["workshops"],
        participants=counts.get("participants"),
        computed_at=now,
    )


def _stored(summaries) -> dict[int, dict]:
    """The counts some stored summaries (a queryset) were written from, by area: the inverse
    of _summary. Read as plain rows, not model instances: a change reads a hundred of them."""
    rows = summaries.order_by().values_list(
        "area_id", "assets", "assets_by_domain", "assets_by_category", "barriers_by_kind",
        "figures", "workshops",
    )  # fmt: skip
    return {
        area_id: {
            **_empty(),
            **figures,
            "total": assets,
            "workshops": workshops or 0,
            "by_domain": Counter(by_domain),
            "by_category": Counter(by_category),
            "barriers": Counter(barriers),
        }
        for area_id, assets, by_domain, by_category, barriers, figures, workshops in rows
    }


def _write(areas, counts_by_area: dict, context: dict, extra_values=()) -> None:
    """The summaries and computed indicators of `areas` from their counts, written at once:
    one upsert, one delete and one insert for a change's areas, sites and Wales together."""
    indicators, period = context["indicators"], context["period"]
    AreaSummary.objects.bulk_create(
        [_summary(area, counts_by_area[area.pk], context["now"]) for area in areas],
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["area"],
        update_fields=[
            "assets", "assets_by_domain", "assets_by_category", "barriers_by_kind", "figures",
            "workshops", "participants", "computed_at",
        ],
    )  # fmt: skip
    # A value the data no longer gives (the last asset of an area archived) must go too.
    IndicatorValue.objects.filter(
        area__in=areas, period=period, indicator__in=list(indicators.values())
    ).delete()
    values = [
        value
        for area in areas
        for value in _values(area, counts_by_area[area.pk], indicators, period)
    ]
    IndicatorValue.objects.bulk_create([*values, *extra_values], batch_size=1000)
    indicators_changed()  # bulk_create sends no signal


def _site_counts(site_ids, categories) -> dict[int, dict]:
    """A site's own rows, by their site: published assets, barriers, workshops not
    cancelled, and participants who have not withdrawn."""
    counts = _counts("site_id", site_ids, categories, venues=False)
    workshops = Workshop.objects.filter(site_id__in=site_ids).exclude(status="cancelled")
    for site_id, n in workshops.order_by().values_list("site_id").annotate(n=Count("id")):
        counts[site_id]["workshops"] = n
    people = Participant.objects.filter(site_id__in=site_ids).exclude(
        status=ParticipantStatus.WITHDRAWN
    )
    for site_id, n in people.order_by().values_list("site_id").annotate(n=Count("id")):
        counts[site_id]["participants"] = n
    return counts


def _answers_by_site(site_ids) -> dict[tuple[int, str], dict[str, list[float]]]:
    """{(site, indicator): {time point: [each person's score]}} from the questionnaires."""
    wanted = {instrument for instrument, _key in QUESTIONNAIRE_INDICATORS.values()}
    rows = (
        QuestionnaireResponse.objects.filter(
            participant__site_id__in=site_ids, instrument__in=wanted
        )
        .exclude(participant__status=ParticipantStatus.WITHDRAWN)
        .order_by()
        .values_list("participant__site_id", "instrument", "time_point", "scores")
    )
    found: dict = defaultdict(lambda: defaultdict(list))
    for site_id, instrument, time_point, scores in rows:
        for code, (source, key) in QUESTIONNAIRE_INDICATORS.items():
            if source == instrument and isinstance(scores.get(key), int | float):
                found[(site_id, code)][time_point].append(float(scores[key]))
    return found


def _site_values(area: Area, answers: dict, indicators: dict, period: str) -> list[IndicatorValue]:
    """A site's questionnaire indicators: the mean at the latest time point that 10 or more
    people answered (participants.disclosure: no mean over fewer is ever stored), with its
    t interval."""
    values = []
    for code in QUESTIONNAIRE_INDICATORS:
        by_point = answers.get((area.site_id, code), {})
        point = next(
            (
                p
                for p in reversed(TimePoint.values)
                if len(by_point.get(p, ())) >= MIN_GROUP_FOR_MEAN
            ),
            None,
        )
        if point is None or code not in indicators:
            continue
        mean, lower, upper = mean_interval(by_point[point])
        values.append(
            IndicatorValue(
                indicator=indicators[code], area=area, period=period, value=mean, lower=lower,
                upper=upper, denominator=len(by_point[point]),
                source=f"{indicators[code].source}, {TimePoint(point).label}",
            )
        )  # fmt: skip
    return values


def _sites(site_ids, categories, context) -> tuple[list[Area], dict[int, dict], list]:
    """The test-site areas (assets.Area of level site), their counts from their site's own
    rows, and their questionnaire indicators; `site_ids` None for every site."""
    site_areas = Area.objects.filter(level=AreaLevel.SITE, site__isnull=False)
    if site_ids is not None:
        site_areas = site_areas.filter(site_id__in=site_ids)
    site_areas = list(site_areas.only("pk", "level", "population", "site_id"))
    if not site_areas:
        return [], {}, []
    ids = [area.site_id for area in site_areas]
    by_site = _site_counts(ids, categories)
    counts = {area.pk: by_site.get(area.site_id) or _empty() for area in site_areas}
    answers = _answers_by_site(ids)
    values = [
        value
        for area in site_areas
        for value in _site_values(area, answers, context["indicators"], context["period"])
    ]
    return site_areas, counts, values


def _wales(areas: list[Area], counts: dict[int, dict]) -> dict:
    """Wales's counts: the sum of its local authorities' — those just counted, and the others
    as last written."""
    fresh = [counts[area.pk] for area in areas if area.level == AreaLevel.LOCAL_AUTHORITY]
    counted = [area.pk for area in areas if area.level == AreaLevel.LOCAL_AUTHORITY]
    others = AreaSummary.objects.filter(area__level=AreaLevel.LOCAL_AUTHORITY).exclude(
        area_id__in=counted
    )
    return _summed([*fresh, *_stored(others).values()])


def _rolled_up(areas: list[Area], categories) -> dict[int, dict]:
    """The counts of a change's LSOAs, MSOAs and local authorities: the LSOAs asked for by
    SQL, each MSOA and local authority as the sum of its LSOAs — those asked for fresh, the
    others as last written (counted in SQL too if they have no summary yet)."""
    asked = {area.pk for area in areas if area.level == AreaLevel.LSOA}
    above = {area.pk for area in areas if area.level != AreaLevel.LSOA}
    members = list(
        Area.objects.filter(level=AreaLevel.LSOA)
        .filter(Q(parent_id__in=above) | Q(parent__parent_id__in=above))
        .values_list("pk", "parent_id", "parent__parent_id")
        if above
        else []
    )
    stored = (
        _stored(AreaSummary.objects.filter(area_id__in={pk for pk, *_ in members} - asked))
        if members
        else {}
    )
    counted = asked | ({pk for pk, *_ in members} - asked - set(stored))
    fresh = _counts(LEVELS[AreaLevel.LSOA], sorted(counted), categories) if counted else {}
    lsoas = {pk: fresh.get(pk) or _empty() for pk in counted} | stored
    counts = {pk: lsoas[pk] for pk in asked}
    for pk in above:
        counts[pk] = _summed(lsoas[lsoa] for lsoa, msoa, la in members if pk in (msoa, la))
    return counts


def area_summaries_compute(
    *,
    area_ids: Iterable[int] | None = None,
    site_ids: Iterable[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Recompute the summaries and computed indicators of the given areas (LSOAs, MSOAs and
    local authorities, by id) and sites (their test-site areas, by site id) — or, given
    neither, of every area and site. Wales is always recomputed, from its local
    authorities' summaries. Idempotent: the same data gives the same rows. Returns the number
    of areas written."""
    everything = area_ids is None and site_ids is None
    ids = None if everything else sorted(set(area_ids or ()))
    sites = None if everything else sorted(set(site_ids or ()))
    areas = Area.objects.filter(level__in=LEVELS).only("pk", "level", "population")
    areas = list(areas if ids is None else areas.filter(pk__in=ids))
    counts: dict[int, dict] = defaultdict(_empty)
    categories = _categories()
    if ids is None:
        for done, field in enumerate(LEVELS.values(), start=1):
            counts.update(_counts(field, None, categories))
            if progress:
                progress(25 * done)
    elif areas:
        counts.update(_rolled_up(areas, categories))
    if progress and ids is not None:
        progress(75)
    context = {
        "now": timezone.now(),
        "period": str(timezone.localdate().year),
        "indicators": {i.code: i for i in Indicator.objects.filter(method="computed")},
    }
    site_areas, site_counts, answered = (
        _sites(sites, categories, context) if sites is None or sites else ([], {}, [])
    )
    with transaction.atomic():
        wales = list(Area.objects.filter(level=AreaLevel.COUNTRY).only("pk", "level", "population"))
        if wales:
            whole = _wales(areas, counts)
            counts.update({area.pk: whole for area in wales})
        written = [*areas, *site_areas, *wales]
        _write(written, counts | site_counts, context, answered)
    return len(written)


def area_summaries_changed(*, area_ids: set[int], site_ids: set[int]) -> None:
    """The change outbox's handler (core.changes): the areas and sites whose data changed
    are worked out again, a few seconds after the change and once for a burst of changes."""
    if area_ids or site_ids:
        area_summaries_compute(area_ids=area_ids, site_ids=site_ids)
