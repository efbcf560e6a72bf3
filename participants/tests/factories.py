import factory

from core.tests.factories import default_site
from participants.models import Cohort, Participant


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    code = factory.Sequence(lambda n: f"P-{n + 100:03d}")
    cohort = Cohort.TENANT
    site = factory.LazyFunction(default_site)
