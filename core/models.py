from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The five roles of DESIGN §2; each is a Group of the same name, created by a migration."""

    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    PARTICIPANT = "participant", _("Participant")
    EVALUATOR = "evaluator", _("Evaluator")
    PARTNER = "partner", _("Partner")


PROJECT_ROLES = frozenset({Role.COORDINATOR, Role.FACILITATOR, Role.PARTICIPANT})


def in_project(user) -> bool:
    """Inside the project (DESIGN §3): coordinators, facilitators and participants. Never
    evaluators, partners, people without a role or the public. People's skills and barrier
    detail stay inside unless their owner agreed otherwise."""
    return getattr(user, "role", None) in PROJECT_ROLES


class Site(models.Model):
    """A test site: a neighbourhood where the programme runs, with its own participants,
    workshops, barriers, actions and moderation queue (DESIGN §2: a coordinator does
    everything *in their site*). Its areas on the map link to it from the assets side
    (assets.Area.site); the boundary is their union, as GeoJSON (WGS84)."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_cy = models.CharField(_("name (Welsh)"), max_length=120, blank=True)
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    class Meta:
        ordering = ["name_en", "pk"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_cy if get_language() == "cy" and self.name_cy else self.name_en


class User(AbstractUser):
    """A person who signs in. Participants sign in with a username and a coordinator-issued
    passphrase; nothing here identifies them beyond the username a coordinator chose.
    Coordinators, facilitators and participants belong to the sites they work in, evaluators
    are granted sites (core.sites says what that lets each see)."""

    sites = models.ManyToManyField(
        Site, blank=True, related_name="members", verbose_name=_("sites")
    )

    class Meta:
        permissions = [("manage_accounts", _("Can issue sign-ins and passphrases"))]

    @cached_property
    def site_ids(self) -> frozenset[int]:
        """The primary keys of the sites this person belongs to or was granted."""
        return frozenset(self.sites.values_list("pk", flat=True))

    @cached_property
    def role(self) -> str | None:
        """The user's role (a Role value), or None for an account with no role."""
        names = {group.name for group in self.groups.all()}
        return next((role.value for role in Role if role.value in names), None)

    def passphrase_reset_allowed_by(self, actor) -> bool:
        """Only a superuser may give a coordinator a new passphrase: a coordinator who could
        would be able to take over another coordinator's account."""
        return actor.is_superuser or self.role != Role.COORDINATOR

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else _("No role")


class FormSubmission(models.Model):
    """A form that was sent, by the one-time token it carried: a double tap or a resent POST
    with the same token finds this row and goes to what the first one made (core.services
    form_submission_once). The unique token is the guard, across every web worker."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, related_name="+")
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.token)


class ChangeEventQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(processed_at__isnull=True)


class ChangeEvent(models.Model):
    """The outbox (core/changes.py): a service that changes data a higher app summarises (an
    asset published or moved, a barrier changed, attendance recorded, a participant withdrawn)
    writes one row, in its own transaction, naming the areas and sites that changed. A
    debounced task drains the rows and hands the ids to the change handlers registered in
    core.registry, so the lower app never names the app that reacts."""

    reason = models.CharField(max_length=60)
    area_ids = models.JSONField(default=list)
    site_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = ChangeEventQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(processed_at__isnull=True),
                name="change_event_pending",
            )
        ]

    def __str__(self):
        return f"{self.reason} {self.created_at:%Y-%m-%d %H:%M:%S}"
