from datetime import timedelta

import factory
from django.utils import timezone

from assets.tests.factories import LocatedFactory
from core.tests.factories import default_site
from workshops.models import Affects, Barrier, BarrierKind, Workshop, WorkshopStatus


class WorkshopFactory(factory.django.DjangoModelFactory):
    """A two-hour workshop held last week. Pass facilitators=[user, …] to say who ran it."""

    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Workshop {n}")
    site = factory.LazyFunction(default_site)
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda w: w.starts_at + timedelta(hours=2))
    status = WorkshopStatus.HELD

    @factory.post_generation
    def facilitators(self, create, extracted, **kwargs):
        if create and extracted:
            self.facilitators.set(extracted)


class BarrierFactory(LocatedFactory):
    class Meta:
        model = Barrier

    title = factory.Sequence(lambda n: f"Barrier {n}")
    kind = BarrierKind.TRANSPORT
    affects = Affects.BOTH
    workshop = factory.SubFactory(WorkshopFactory)
    site = factory.LazyAttribute(lambda b: b.workshop.site if b.workshop else default_site())
