"""Area summaries: the counts a reader of an area's page sees, the indicators computed from
them, recomputed for only the areas a change touched, the same on every run."""

import pytest
from django.utils import timezone

from assets.models import Area, AreaLevel, AssetCategory, AssetStatus
from assets.tests.factories import AssetFactory
from indicators.models import AreaSummary, IndicatorValue
from indicators.summaries import area_summaries_compute
from workshops.tests.factories import BarrierFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
YEAR = str(timezone.localdate().year)


@pytest.fixture
def wales():
    country = Area.objects.create(code="W92000004", name_en="Wales", level=AreaLevel.COUNTRY)
    county = Area.objects.create(
        code="W06000011", name_en="Swansea", level=AreaLevel.LOCAL_AUTHORITY, population=240000
    )
    other = Area.objects.create(
        code="W06000015", name_en="Cardiff", level=AreaLevel.LOCAL_AUTHORITY
    )
    msoa = Area.objects.create(
        code="W02000173",
        name_en="Swansea 021",
        level=AreaLevel.MSOA,
        parent=county,
        population=8000,
    )
    lsoa = Area.objects.create(
        code="W01000800", name_en="Swansea 021A", level=AreaLevel.LSOA, parent=msoa, population=1600
    )
    return {"country": country, "county": county, "other": other, "msoa": msoa, "lsoa": lsoa}


def placed(areas, **fields):
    category = AssetCategory.objects.get(slug=fields.pop("slug", "community-centre"))
    return AssetFactory(
        category=category,
        lsoa=areas["lsoa"],
        msoa=areas["msoa"],
        local_authority=areas["county"],
        **fields,
    )


def summary(area):
    return AreaSummary.objects.get(area=area)


def value(code, area):
    return IndicatorValue.objects.filter(indicator__code=code, area=area, period=YEAR).first()


def test_published_shareable_assets_are_counted_at_every_level_by_domain_and_category(wales):
    placed(wales, slug="library", cost="free")
    placed(wales, slug="allotment", cost="paid", welcoming_to=["sanctuary", "women"])
    placed(wales, slug="sports-club")
    placed(wales, status=AssetStatus.SUBMITTED)  # not published: not counted
    area_summaries_compute()
    for level in ("lsoa", "msoa", "county", "country"):
        counted = summary(wales[level])
        assert counted.assets == 3, level
        assert counted.assets_by_domain == {"structural": 2, "community": 1}
        assert counted.assets_by_category == {"library": 1, "allotment": 1, "sports-club": 1}
    assert summary(wales["other"]).assets == 0


def test_barriers_by_kind_and_workshops_by_their_venues_area(wales):
    BarrierFactory(
        kind="cost", lsoa=wales["lsoa"], msoa=wales["msoa"], local_authority=wales["county"]
    )
    BarrierFactory(
        kind="cost", lsoa=wales["lsoa"], msoa=wales["msoa"], local_authority=wales["county"]
    )
    BarrierFactory(
        kind="language", lsoa=wales["lsoa"], msoa=wales["msoa"], local_authority=wales["county"]
    )
    WorkshopFactory(venue=placed(wales))
    area_summaries_compute()
    assert summary(wales["msoa"]).barriers_by_kind == {"cost": 2, "language": 1}
    assert summary(wales["country"]).barriers_by_kind == {"cost": 2, "language": 1}
    assert summary(wales["lsoa"]).workshops == 1


def test_computed_indicators_carry_their_intervals_and_need_what_they_divide_by(wales):
    placed(wales, slug="library", cost="free", welcoming_to=["sanctuary"])
    placed(wales, slug="green-space", cost="low")
    placed(wales, slug="advice", cost="paid")
    placed(wales, slug="cafe")  # cost not given: not in the free-or-low-cost share
    area_summaries_compute()
    free = value("free-low-cost", wales["lsoa"])
    assert (free.numerator, free.denominator) == (2, 3)
    assert free.value == pytest.approx(66.667, abs=1e-3)
    assert (free.lower, free.upper) == (
        pytest.approx(20.77, abs=0.01),
        pytest.approx(93.85, abs=0.01),
    )
    welcoming = value("welcoming-sanctuary", wales["lsoa"])
    assert (welcoming.numerator, welcoming.denominator) == (1, 4)
    assert value("assets-per-1000", wales["lsoa"]).value == pytest.approx(4 / 1600 * 1000)
    assert value("community-buildings", wales["msoa"]).value == pytest.approx(1 / 8000 * 1000)
    assert value("green-space", wales["county"]).numerator == 1
    assert value("advice-services", wales["county"]).numerator == 1
    assert value("assets-per-1000", wales["country"]) is None  # Wales has no population here
    assert value("welcoming-sanctuary", wales["other"]) is None  # no assets: nothing to divide


def test_a_value_the_data_no_longer_gives_is_removed(wales):
    asset = placed(wales, cost="free")
    area_summaries_compute()
    assert value("free-low-cost", wales["lsoa"]).value == 100
    asset.status = AssetStatus.ARCHIVED
    asset.save()
    area_summaries_compute()
    assert value("free-low-cost", wales["lsoa"]) is None
    assert summary(wales["lsoa"]).assets == 0


def test_recomputing_gives_the_same_rows(wales):
    placed(wales, slug="library", cost="free")
    area_summaries_compute()
    first = list(
        AreaSummary.objects.order_by("area").values(
            "area", "assets", "assets_by_category", "figures"
        )
    )
    first_values = list(
        IndicatorValue.objects.order_by("indicator", "area", "period").values(
            "indicator", "area", "value", "lower"
        )
    )
    area_summaries_compute()
    assert (
        list(
            AreaSummary.objects.order_by("area").values(
                "area", "assets", "assets_by_category", "figures"
            )
        )
        == first
    )
    assert (
        list(
            IndicatorValue.objects.order_by("indicator", "area", "period").values(
                "indicator", "area", "value", "lower"
            )
        )
        == first_values
    )


def test_a_change_recomputes_only_its_areas_and_wales_from_the_local_authorities(wales):
    area_summaries_compute()
    placed(wales)
    area_summaries_compute(area_ids=[wales["lsoa"].pk, wales["county"].pk])
    assert summary(wales["lsoa"]).assets == 1
    assert summary(wales["msoa"]).assets == 0  # not asked for: left as it was
    assert summary(wales["county"]).assets == 1
    assert summary(wales["country"]).assets == 1


def test_an_msoa_whose_lsoas_were_never_summarised_is_counted_from_the_assets(wales):
    placed(wales, cost="free")
    area_summaries_compute(area_ids=[wales["msoa"].pk])  # no LSOA summary to add up yet
    assert summary(wales["msoa"]).assets == 1
    assert value("free-low-cost", wales["msoa"]).value == 100
    assert not AreaSummary.objects.filter(area=wales["lsoa"]).exists()  # not asked for


def test_the_number_of_queries_does_not_grow_with_the_assets(wales, django_assert_max_num_queries):
    for _ in range(30):
        placed(wales, slug="library", cost="free")
        BarrierFactory(lsoa=wales["lsoa"])
    with django_assert_max_num_queries(30):
        area_summaries_compute()


# --- The programme's sites -------------------------------------------------------------------


@pytest.fixture
def site_area(wales):
    from core.tests.factories import SiteFactory

    site = SiteFactory(slug="townhill")
    area = Area.objects.create(code="SITE-T", name_en="Townhill", level=AreaLevel.SITE, site=site)
    return site, area


def answered(site, scores: list[float], time_point="follow_up"):
    from datetime import date

    from participants.models import QuestionnaireResponse
    from participants.tests.factories import ParticipantFactory

    for score in scores:
        person = ParticipantFactory(site=site)
        QuestionnaireResponse.objects.create(
            participant=person, instrument="swemwbs", time_point=time_point,
            completed_on=date(2026, 6, 1), scores={"metric": score},
        )  # fmt: skip


def test_a_sites_summary_counts_its_own_assets_barriers_workshops_and_people(site_area):
    from participants.tests.factories import ParticipantFactory

    site, area = site_area
    AssetFactory(site=site, cost="free")
    AssetFactory(site=site, status=AssetStatus.SUBMITTED)  # waiting: not counted
    BarrierFactory(site=site, kind="language")
    WorkshopFactory(site=site)
    WorkshopFactory(site=site, status="cancelled")
    ParticipantFactory(site=site)
    ParticipantFactory(site=site, status="withdrawn")
    area_summaries_compute()
    counted = summary(area)
    assert (counted.assets, counted.barriers_by_kind, counted.workshops, counted.participants) == (
        1, {"language": 1}, 1, 1,
    )  # fmt: skip
    assert value("free-low-cost", area).value == 100


@pytest.mark.parametrize(("people", "stored"), [(9, False), (10, True), (11, True)])
def test_a_sites_wellbeing_mean_is_stored_only_over_ten_people_or_more(site_area, people, stored):
    site, area = site_area
    answered(site, [20.0 + n % 5 for n in range(people)])
    area_summaries_compute()
    wellbeing = value("mental-wellbeing", area)
    assert (wellbeing is not None) is stored
    if stored:
        scores = [20.0 + n % 5 for n in range(people)]
        assert wellbeing.value == pytest.approx(sum(scores) / people)
        assert (
            wellbeing.denominator == people and wellbeing.lower < wellbeing.value < wellbeing.upper
        )


def test_the_latest_time_point_with_ten_people_is_the_one_shown(site_area):
    site, area = site_area
    answered(site, [20.0] * 12, time_point="baseline")
    answered(site, [25.0] * 9, time_point="follow_up")  # too few yet
    area_summaries_compute()
    assert value("mental-wellbeing", area).value == 20.0
    assert "Baseline" in value("mental-wellbeing", area).source


def test_a_change_at_a_site_reaches_only_that_sites_summary(site_area):
    site, area = site_area
    area_summaries_compute()
    AssetFactory(site=site)
    area_summaries_compute(site_ids=[site.pk])
    assert summary(area).assets == 1


# --- A change's recompute gives what a full recompute gives ------------------------------------


@pytest.fixture
def tree():
    """Wales, two local authorities, two MSOAs in each and two LSOAs in each MSOA."""
    Area.objects.create(code="W92000004", name_en="Wales", level=AreaLevel.COUNTRY)
    lsoas = []
    for a in range(2):
        la = Area.objects.create(
            code=f"W0600001{a}", name_en=f"LA {a}", level=AreaLevel.LOCAL_AUTHORITY,
            population=100_000 if a else None,
        )  # fmt: skip
        for m in range(2):
            msoa = Area.objects.create(
                code=f"W0200{a}{m}", name_en=f"MSOA {a}{m}", level=AreaLevel.MSOA, parent=la,
                population=7000 + m,
            )  # fmt: skip
            for n in range(2):
                lsoas.append(
                    Area.objects.create(
                        code=f"W0100{a}{m}{n}", name_en=f"LSOA {a}{m}{n}", level=AreaLevel.LSOA,
                        parent=msoa, population=1500 + n,
                    )
                )  # fmt: skip
    return lsoas


def areas_of(lsoa) -> dict:
    return {"lsoa": lsoa, "msoa": lsoa.parent, "local_authority": lsoa.parent.parent}


def ids_of(obj) -> set[int]:
    return set(obj.area_ids)


def snapshot() -> tuple[list, list]:
    summaries = AreaSummary.objects.order_by("area").values(
        "area", "assets", "assets_by_domain", "assets_by_category", "barriers_by_kind",
        "figures", "workshops", "participants",
    )  # fmt: skip
    values = IndicatorValue.objects.order_by("indicator", "area", "period").values(
        "indicator", "area", "period", "value", "lower", "upper", "numerator", "denominator"
    )
    return list(summaries), list(values)


def test_after_a_run_of_changes_recomputing_only_their_areas_gives_the_full_recompute(tree):
    """Each change recomputes the areas it touched, as the change outbox's drain does (old and
    new areas of a moved asset): LSOAs by SQL, MSOAs and local authorities added up from
    their LSOAs. The summaries and indicators then equal a full recompute's, at every step."""
    import random

    rng = random.Random(2026)
    slugs = ["library", "allotment", "advice", "cafe", "sports-club", "green-space"]
    categories = {slug: AssetCategory.objects.get(slug=slug) for slug in slugs}
    area_summaries_compute()  # the starting point: everything computed once
    assets, touched = [], set()

    def make():
        asset = AssetFactory(
            category=categories[rng.choice(slugs)], cost=rng.choice(["free", "low", "paid", ""]),
            welcoming_to=rng.choice([[], ["sanctuary"], ["women"]]), **areas_of(rng.choice(tree)),
        )  # fmt: skip
        assets.append(asset)
        return ids_of(asset)

    def move():
        asset = rng.choice(assets)
        before = ids_of(asset)
        for field, area in areas_of(rng.choice(tree)).items():
            setattr(asset.areas, field, area)
        asset.areas.save()
        return before | ids_of(asset)

    def restatus():
        asset = rng.choice(assets)
        asset.status = rng.choice([AssetStatus.PUBLISHED, AssetStatus.ARCHIVED])
        asset.save()
        return ids_of(asset)

    def recost():
        asset = rng.choice(assets)
        asset.cost = rng.choice(["free", "paid", ""])
        asset.save()
        return ids_of(asset)

    def barrier():
        made = BarrierFactory(kind=rng.choice(["cost", "language"]), **areas_of(rng.choice(tree)))
        return ids_of(made)

    def workshop():
        return ids_of(WorkshopFactory(venue=rng.choice(assets)).venue)

    for step in range(40):
        change = make if step < 6 else rng.choice([make, move, restatus, recost, barrier, workshop])
        touched = change()
        area_summaries_compute(area_ids=touched, site_ids=[])
        if step % 10 == 9:
            incremental = snapshot()
            area_summaries_compute()
            assert snapshot() == incremental, f"step {step}"
    summaries, values = snapshot()
    assert sum(row["assets"] for row in summaries if row["area"] in {a.pk for a in tree}) > 0
    assert {row["indicator"] for row in values}  # rates and shares were worked out too
