from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cohort(models.TextChoices):
    """Immigration status is recorded only as this coarse cohort (DESIGN §4)."""

    TENANT = "tenant", _("Social housing tenant")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Refugee")
    OTHER = "other", _("Other")

    @classmethod
    def sanctuary(cls) -> list[str]:
        return [cls.ASYLUM_SEEKER, cls.REFUGEE]


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


class ParticipantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ParticipantStatus.ACTIVE)


class Participant(models.Model):
    """A person taking part, known everywhere but the coordinator's personal-details page only
    by a pseudonymous code such as P-017. The base layer: imports no other app."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    cohort = models.CharField(_("cohort"), max_length=16, choices=Cohort.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ParticipantStatus.choices, default="active"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participant",
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code

    @property
    def is_sanctuary(self) -> bool:
        return self.cohort in Cohort.sanctuary()
