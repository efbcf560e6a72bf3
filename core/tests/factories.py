import factory
from django.contrib.auth.models import Group

from core.models import User

TEST_PASSPHRASE = "test-passphrase-for-everyone"


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
