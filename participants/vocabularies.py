"""The programme's shared vocabularies, defined once here — in the lowest app that needs them
(docs/architecture.md). Higher apps import them from here instead of spelling them again:
assets (the domain of an asset category, who a place welcomes), workshops (who a barrier
affects, attendance by group), and next indicators and the toolkit.

Participants needs them itself: an outcome instrument belongs to a domain, answers are given at
a time point, and every breakdown by group is counted under disclosure control here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    """The three domains of health assets (Public Health Wales): of an asset category, an
    outcome instrument and (next) an indicator."""

    INDIVIDUAL = "individual", _("Individual")
    COMMUNITY = "community", _("Community")
    STRUCTURAL = "structural", _("Structural")


class TimePoint(models.TextChoices):
    """When outcome questionnaires are answered."""

    BASELINE = "baseline", _("Baseline")
    MIDPOINT = "midpoint", _("Midpoint")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Cohort(models.TextChoices):
    """A participant's cohort. Immigration status is recorded only as this coarse cohort
    (DESIGN §4)."""

    TENANT = "tenant", _("Social housing tenant")
    ASYLUM_SEEKER = "asylum_seeker", _("Asylum seeker")
    REFUGEE = "refugee", _("Refugee")
    OTHER = "other", _("Other")

    @classmethod
    def sanctuary(cls) -> list[str]:
        return [cls.ASYLUM_SEEKER, cls.REFUGEE]


class CohortGroup(models.TextChoices):
    """The two groups the programme brings together, and everyone else: what every count by
    group shows (attendance, endorsements, outcomes), and who a barrier affects or a place
    welcomes."""

    TENANTS = "tenants", _("Social housing tenants")
    SANCTUARY = "sanctuary", _("People seeking sanctuary")
    OTHER = "other", _("Other")


class ContactGroup(models.TextChoices):
    """Whom a participant names in the name generator, described by group only."""

    TENANT = "tenant", _("Social housing tenant")
    SANCTUARY = "sanctuary", _("Person seeking sanctuary")
    PROFESSIONAL = "professional", _("Professional")
    OTHER = "other", _("Other")
