from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.db import models
from django.utils import timezone
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


class Organisation(models.Model):
    """A partner agency (a council, housing association, health board or charity) that reads
    the partner API with keys a coordinator issues; its partner sign-ins see those keys' use."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [("manage_api_keys", _("Can issue and revoke partner API keys"))]

    def __str__(self):
        return self.name


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

    # Partners only: the organisation whose API keys they may see.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
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


class JobStatus(models.TextChoices):
    """Where a background job is in its life (core.jobs)."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """A background job's row: who asked, when, how far it got and how it ended, for the page
    to show. Each kind of job is a concrete subclass; core.jobs claims, reports, finishes,
    fails and retries it, and sweeps the ones whose worker stopped.

    The lease is the job's sign of life: a queued job must be claimed, and a running job must
    report, before its lease expires. One that does not has lost its message or its worker:
    a re-delivered task may claim it again, and the sweeper fails it with "Try again".
    `attempts` counts claims; every write of a run is conditional on the count it claimed
    with, so a run that lost its job (swept or reclaimed) can change nothing."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    # Why it failed (a sentence a person can act on, never a traceback), or a note on how it
    # ended.
    message = models.TextField(blank=True)
    # Files the job made, in the default storage: [{"name": …, "path": …, "size": bytes}]
    result_files = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    # Each kind may change these. The lease must outlast the task's hard time limit, so a
    # job still running is never taken for one whose worker stopped.
    lease = timedelta(minutes=20)
    max_attempts = 4  # the first run and three retries after a lost connection
    unexpected_message = _("Something went wrong on our side. Try again in a minute.")
    timeout_message = _("The job took too long and was stopped. Try again.")

    class Meta:
        abstract = True
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["status", "lease_expires_at"], name="%(app_label)s_%(class)s_lease"
            )
        ]

    def save(self, *args, **kwargs):
        if self.lease_expires_at is None and self.status in UNFINISHED:
            self.lease_expires_at = timezone.now() + self.lease
        super().save(*args, **kwargs)

    @property
    def is_unfinished(self) -> bool:
        return self.status in UNFINISHED

    @property
    def state(self) -> str:
        """What the job's pages show as its status; a kind with steps of its own says more."""
        return self.status

    @property
    def state_label(self) -> str:
        return JobStatus(self.status).label

    @property
    def summary(self) -> str:
        """Its size or result in a few words, for the history table."""
        return ""

    @property
    def needs_attention(self) -> bool:
        """Shown in red: it failed, or (for a kind that says so) it ended with problems."""
        return self.status == JobStatus.FAILED

    @property
    def retry_url(self) -> str | None:
        """Where "Try again" posts to, for a failed job (None: it cannot be tried again)."""
        return None

    @property
    def progress_key(self) -> str:
        return f"job:{self._meta.label_lower}:{self.pk}:progress"

    @property
    def live_progress(self) -> int:
        """How far a running job has got, in percent. A run whose writes sit in one
        transaction (unseen until it ends) reports through the cache instead of the row; the
        cache being down only means the page shows the row's figure."""
        if self.status != JobStatus.RUNNING:
            return self.progress
        try:
            return cache.get(self.progress_key, self.progress)
        except Exception:  # noqa: BLE001 - any cache failure: the row's figure will do
            return self.progress


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


class ApiScope(models.TextChoices):
    """What a partner API key may read. Neither ever reaches participant data."""

    PUBLIC = "public", _("Published public data")
    AGGREGATES = "aggregates", _("Public data, area summaries and disclosure-controlled counts")


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A key a partner organisation reads the API with. Only the SHA-256 of its secret is
    stored: the secret is shown once, when it is issued (core.api_keys.api_key_issue). The
    prefix (the key's first characters) finds the row and names the key in lists."""

    # How long last_used_at may lag behind: at most one write a minute per key.
    LAST_USED_RESOLUTION_SECONDS = 60

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_keys"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=10, choices=ApiScope.choices)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["public", "aggregates"]), name="api_key_scope_known"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def used_mark(self) -> None:
        """Record that the key was used now, cheaply: skipped when the time we hold is recent,
        and a conditional update so that concurrent requests write it at most once."""
        now = timezone.now()
        since = now - timedelta(seconds=self.LAST_USED_RESOLUTION_SECONDS)
        if self.last_used_at is not None and self.last_used_at > since:
            return
        ApiKey.objects.filter(pk=self.pk).filter(
            models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lte=since)
        ).update(last_used_at=now)
        self.last_used_at = now


class DataVersion(models.Model):
    """A counter per kind of data (e.g. "assets:published"), bumped in the same transaction as
    every change to that data (core.versions): what is computed from the data is cached under
    its version, and a page built from it carries the version in its ETag."""

    name = models.CharField(max_length=60, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.name} v{self.value}"
