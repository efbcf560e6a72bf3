import factory

from participants.models import Cohort, Participant


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    code = factory.Sequence(lambda n: f"P-{n + 100:03d}")
    cohort = Cohort.TENANT
