import factory
from django.contrib.auth.models import Group

from core.models import Site, User

TEST_PASSPHRASE = "test-passphrase-for-everyone"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"site-{n}")
    name_en = factory.LazyAttribute(lambda site: f"Site {site.slug}")
    name_cy = factory.LazyAttribute(lambda site: f"Safle {site.slug}")


DEFAULT_SITE = "test-site"


def default_site() -> Site:
    """The site that every factory's row and every test user belongs to unless a test says
    otherwise, so tests that do not care about sites need not mention them."""
    return SiteFactory(slug=DEFAULT_SITE, name_en="Test site", name_cy="Safle prawf")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(TEST_PASSPHRASE)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        """sites=[site, …] (or [] for none); by default the default site."""
        if create:
            self.sites.set([default_site()] if extracted is None else extracted)


def api_key_make(scope: str = "public", *, organisation=None, name: str = "Test key"):
    """(key, secret): a key issued through the service, to a new organisation unless one is
    given, by a new coordinator."""
    from core.api_keys import api_key_issue
    from core.models import Organisation

    coordinator = UserFactory(role="coordinator")
    organisation = organisation or Organisation.objects.create(
        name=f"Partner of {coordinator.username}"
    )
    return api_key_issue(organisation=organisation, name=name, scope=scope, by=coordinator)
