import factory

from assets.models import Asset, AssetCategory, AssetSource, AssetStatus
from core.tests.factories import default_site

# A point inside the demo site (Townhill, Swansea), and one a little way off.
TOWNHILL = (51.6290, -3.9565)


def point(lat: float = TOWNHILL[0], lng: float = TOWNHILL[1]) -> dict:
    return {"type": "Point", "coordinates": [lng, lat]}


class AssetFactory(factory.django.DjangoModelFactory):
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
