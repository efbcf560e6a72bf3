import factory

from assets.models import Area, AreaLevel, Asset, AssetCategory, AssetSource, AssetStatus
from assets.services.areas import site_define
from core.tests.factories import default_site

# A point inside the demo site (Townhill, Swansea), and one a little way off.
TOWNHILL = (51.6290, -3.9565)


def point(lat: float = TOWNHILL[0], lng: float = TOWNHILL[1]) -> dict:
    return {"type": "Point", "coordinates": [lng, lat]}


class LocatedFactory(factory.django.DjangoModelFactory):
    """A located row (assets.models.Located): its lsoa, msoa and local_authority, when given,
    are written to its areas row."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        given = {name: kwargs.pop(name) for name in AREA_FIELDS if name in kwargs}
        located = super()._create(model_class, *args, **kwargs)
        if given:
            areas = model_class._meta.get_field("areas").related_model
            located.areas = areas.objects.create(**{areas._meta.pk.name: located}, **given)
        return located


AREA_FIELDS = ("lsoa", "msoa", "local_authority")


class AssetFactory(LocatedFactory):
    """A published, place-based asset at Townhill (categories come from the seed migration).
    Use assets.services.assets.asset_create where the areas must be assigned."""

    class Meta:
        model = Asset

    name = factory.Sequence(lambda n: f"Community place {n}")
    category = factory.LazyFunction(lambda: AssetCategory.objects.get(slug="community-centre"))
    domain = factory.LazyAttribute(lambda a: a.category.domain)
    geometry = factory.LazyFunction(point)
    latitude = TOWNHILL[0]
    longitude = TOWNHILL[1]
    status = AssetStatus.PUBLISHED
    source = AssetSource.COORDINATOR
    site = factory.LazyFunction(default_site)


def box(west: float, south: float, east: float, north: float) -> dict:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def mapped_site(site=None) -> Area:
    """A test site round Townhill drawn from one MSOA of two LSOAs (Swansea 019A to the west,
    019B to the east), and a neighbouring MSOA's LSOA (Swansea 020A) that touches it outside."""
    county = Area.objects.create(
        code="W06000011", name_en="Swansea", name_cy="Abertawe", level=AreaLevel.LOCAL_AUTHORITY,
        boundary=box(-4.0, 51.6, -3.9, 51.66),
    )  # fmt: skip
    inner = Area.objects.create(
        code="W02000186", name_en="Swansea 019", level=AreaLevel.MSOA, parent=county,
        boundary=box(-3.97, 51.62, -3.94, 51.64),
    )  # fmt: skip
    outer = Area.objects.create(
        code="W02000187", name_en="Swansea 020", level=AreaLevel.MSOA, parent=county,
        boundary=box(-3.94, 51.62, -3.91, 51.64),
    )  # fmt: skip
    for code, name, parent, bounds in [
        ("W01000001", "Swansea 019A", inner, (-3.97, 51.62, -3.955, 51.64)),
        ("W01000002", "Swansea 019B", inner, (-3.955, 51.62, -3.94, 51.64)),
        ("W01000003", "Swansea 020A", outer, (-3.94, 51.62, -3.91, 51.64)),
    ]:
        Area.objects.create(
            code=code, name_en=name, level=AreaLevel.LSOA, parent=parent, boundary=box(*bounds)
        )
    return site_define(
        code="SITE-TOWNHILL",
        name_en="Townhill and Mayhill",
        name_cy="Townhill a Mayhill",
        member_codes=["W02000186"],
        site=site or default_site(),
    )
