from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assets.models import Asset, Located, LocatedAreas, LocatedQuerySet
from core.sites import SiteScopedQuerySet
from participants.models import Participant
from participants.vocabularies import CohortGroup


class WorkshopStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Support(models.TextChoices):
    CHILDCARE = "childcare", _("Childcare")
    TRAVEL = "travel", _("Travel costs")
    FOOD = "food", _("Food")
    INTERPRETING = "interpreting", _("Interpreting")
    ACCESS = "access", _("Step-free access")


def site_field():
    """The site a workshop, barrier or action belongs to (core.sites scopes by it)."""
    return models.ForeignKey(
        "core.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )


class WorkshopQuerySet(SiteScopedQuerySet):
    def run_by(self, user):
        """What a person may see: in the sites they reach (core.sites), coordinators every
        workshop, facilitators theirs."""
        mine = self.for_user(user)
        if user.has_perm("workshops.view_all_workshops"):
            return mine
        return mine.filter(facilitators=user)


class Workshop(models.Model):
    """A workshop where participants name assets and shared barriers and agree actions."""

    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    site = site_field()
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.ForeignKey(
        Asset, on_delete=models.SET_NULL, null=True, blank=True, related_name="workshops_held"
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="workshops_run"
    )
    languages = models.JSONField(_("languages with an interpreter"), default=list, blank=True)
    support = models.JSONField(_("support offered"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WorkshopStatus.choices, default=WorkshopStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    assets_identified = models.ManyToManyField(
        Asset, blank=True, related_name="identified_at_workshops"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="workshop_ends_after_start"
            )
        ]
        permissions = [("view_all_workshops", _("Can see and log every workshop"))]

    def __str__(self):
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the page's language, as plain text (the Welsh when there is one)."""
        return self.title_cy if get_language() == "cy" and self.title_cy else self.title


class Attendance(models.Model):
    """Someone on a workshop's register. When a participant withdraws, their attendance at a
    held workshop (already in its report) stays as an anonymous count: no participant, only
    the cohort they were in (workshops/erasure.py)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="attendance"
    )
    cohort = models.CharField(max_length=16, blank=True)  # only for anonymous attendance
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "participant"], name="attend_once")
        ]

    def __str__(self):
        return f"{self.participant} at {self.workshop}"


class BarrierKind(models.TextChoices):
    LANGUAGE = "language", _("Language")
    TRANSPORT = "transport", _("Transport")
    COST = "cost", _("Cost")
    INFORMATION = "information", _("Information")
    SAFETY = "safety", _("Discrimination or safety")
    DIGITAL = "digital", _("Digital")
    CHILDCARE = "childcare", _("Childcare")
    IMMIGRATION = "immigration", _("Immigration rules")
    HEALTH = "health", _("Health or disability")
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    CONFIDENCE = "confidence", _("Confidence")


class Affects(models.TextChoices):
    """Who a barrier affects: one of the two groups (participants.vocabularies), or both."""

    TENANTS = CohortGroup.TENANTS.value, CohortGroup.TENANTS.label
    SANCTUARY = CohortGroup.SANCTUARY.value, CohortGroup.SANCTUARY.label
    BOTH = "both", _("Both groups")


class BarrierStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ADDRESSED = "addressed", _("Being tackled")
    RESOLVED = "resolved", _("Resolved")


class BarrierQuerySet(LocatedQuerySet, SiteScopedQuerySet):
    pass


class Barrier(Located):
    """Something that gets in the way of integration, health or wellbeing, named at a
    workshop (of the barrier's site); optionally located (GeoJSON point, areas assigned like
    an asset's)."""

    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    site = site_field()
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=BarrierKind.choices)
    affects = models.CharField(_("affects"), max_length=10, choices=Affects.choices)
    workshop = models.ForeignKey(
        Workshop, on_delete=models.SET_NULL, null=True, blank=True, related_name="barriers"
    )
    priority_votes = models.PositiveIntegerField(_("priority votes"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=BarrierStatus.choices, default=BarrierStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BarrierQuerySet.as_manager()

    class Meta:
        ordering = ["-priority_votes", "title"]
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self):
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the page's language, as plain text (the Welsh when there is one)."""
        return self.title_cy if get_language() == "cy" and self.title_cy else self.title


class BarrierAreas(LocatedAreas):
    """A barrier's areas (assets.models.LocatedAreas)."""

    barrier = models.OneToOneField(
        Barrier,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="areas",
        db_constraint=False,
    )


class ActionStatus(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionQuerySet(SiteScopedQuerySet):
    def run_by(self, user):
        """What a person may follow up: in the sites they reach (core.sites), coordinators
        every action, facilitators the actions agreed at workshops they run (an action agreed
        at no workshop is the coordinators')."""
        mine = self.for_user(user)
        if user.has_perm("workshops.view_all_workshops"):
            return mine
        return mine.filter(workshop__in=Workshop.objects.run_by(user))


class Action(models.Model):
    """What will be done about which barrier(s), using which asset(s), by whom and when."""

    title = models.CharField(_("what will be done"), max_length=300)
    title_cy = models.CharField(_("what will be done, in Welsh"), max_length=300, blank=True)
    site = site_field()
    workshop = models.ForeignKey(
        Workshop, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    barriers = models.ManyToManyField(Barrier, related_name="actions")
    assets = models.ManyToManyField(Asset, blank=True, related_name="actions")
    owner = models.CharField(_("who will do it"), max_length=120)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.AGREED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    @property
    def display_title(self) -> str:
        """What will be done in the page's language, as plain text (the Welsh when there is
        one)."""
        return self.title_cy if get_language() == "cy" and self.title_cy else self.title


class ActionUpdate(models.Model):
    """A status change with the outcome note that explains it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    note = models.TextField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.action}: {self.status}"


class ProposalStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a facilitator")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not taken up")


class BarrierProposalQuerySet(SiteScopedQuerySet):
    def waiting(self):
        return self.filter(status=ProposalStatus.WAITING)


class BarrierProposal(models.Model):
    """A barrier a participant names from their own page. It is seen only by them and by the
    facilitators and coordinators of their site until one of those accepts it, which records
    a Barrier (workshops.services.barrier_create); a declined one is never published."""

    site = site_field()
    participant = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        related_name="barrier_proposals",
        verbose_name=_("participant"),
    )
    title = models.CharField(_("what gets in the way"), max_length=200)
    description = models.TextField(_("more about it"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=BarrierKind.choices, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.WAITING,
    )
    barrier = models.ForeignKey(
        Barrier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BarrierProposalQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title
