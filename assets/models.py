from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from core.models import Job, JobStatus, in_project
from core.sites import SiteScopedQuerySet
from participants.vocabularies import CohortGroup, Domain


class AreaLevel(models.TextChoices):
    COUNTRY = "ctry", _("Country")
    LOCAL_AUTHORITY = "la", _("Local authority")
    MSOA = "msoa", _("Middle layer super output area")
    LSOA = "lsoa", _("Lower layer super output area")
    SITE = "site", _("Test site")


class Area(models.Model):
    """A place the programme reports on: an ONS area (local authority, MSOA, LSOA) or a test
    site. The boundary is a GeoJSON geometry (WGS84); see DESIGN §3 for why not GeoDjango."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_cy = models.CharField(_("name (Welsh)"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=4, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # A test-site area (level "site") names the site it draws on the map.
    site = models.ForeignKey(
        "core.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="areas",
        verbose_name=_("site"),
    )

    class Meta:
        ordering = ["level", "code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_cy if get_language() == "cy" and self.name_cy else self.name_en


class AreaVersion(models.Model):
    """One row whose token changes whenever boundaries are imported: a process holding an
    in-memory area index compares it with one primary-key query and rebuilds when it differs,
    so a long-running worker sees new boundaries without a restart. A token, not a counter, so
    a rolled-back import can never be mistaken for a later committed one."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token


class AssetCategory(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_cy = models.CharField(_("name (Welsh)"), max_length=100)
    domain = models.CharField(_("domain"), max_length=10, choices=Domain.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["domain", "order", "name_en"]
        verbose_name = _("asset category")
        verbose_name_plural = _("asset categories")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_cy if get_language() == "cy" and self.name_cy else self.name_en


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    LOW = "low", _("Low cost")
    PAID = "paid", _("Paid")


class WelcomingTo(models.TextChoices):
    SANCTUARY = CohortGroup.SANCTUARY.value, CohortGroup.SANCTUARY.label
    TENANTS = CohortGroup.TENANTS.value, CohortGroup.TENANTS.label
    WOMEN = "women", _("Women")
    FAMILIES = "families", _("Families and children")
    YOUNG_PEOPLE = "young_people", _("Young people")
    OLDER_PEOPLE = "older_people", _("Older people")
    DISABLED = "disabled", _("Disabled people")
    LGBTQ = "lgbtq", _("LGBTQ+ people")


class AssetStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted – waiting for a check")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")
    ARCHIVED = "archived", _("Archived")


class AssetSource(models.TextChoices):
    PARTICIPANT = "participant", _("A participant")
    WORKSHOP = "workshop", _("A workshop")
    COORDINATOR = "coordinator", _("The project team")
    IMPORT = "import", _("An import")


class LocatedQuerySet(models.QuerySet):
    """For anything placed by an indexed latitude/longitude (assets, barriers)."""

    def in_bbox(self, west: float, south: float, east: float, north: float):
        return self.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )


class Located(models.Model):
    """Anything placed on the map (assets, barriers): a GeoJSON geometry (WGS84) and its point
    (a shape's representative point) indexed for bounding-box queries. The LSOA, MSOA and
    local authority containing that point (DESIGN §3) are in a narrow table of their own, one
    row each (`areas`, a LocatedAreas). Set through `assets.geo.place`."""

    geometry = models.JSONField(_("location"), null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    objects = LocatedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def area_ids(self) -> list[int]:
        """The LSOA, MSOA and local authority it is in (for the change outbox)."""
        areas = getattr(self, "areas", None)  # none yet: never placed, or outside every LSOA
        return areas.ids if areas is not None else []


def _area_field():
    # No foreign key in the database: assigning all of Wales writes 100,000 of these rows,
    # and the database checking three keys a row at commit took as long as the rows' own
    # writes (bench/areas.py). Deleting an area still sets these to null, in Django.
    return models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )


class LocatedAreas(models.Model):
    """The LSOA, MSOA and local authority containing a located row's point, in a narrow table
    beside the wide one (its `areas`). A boundary import re-assigns every row: written here, a
    row is four numbers and four index entries, not a new version of the whole asset in each
    of its dozen indexes (bench/areas.py); its own indexes serve the counts by area."""

    lsoa = _area_field()
    msoa = _area_field()
    local_authority = _area_field()

    class Meta:
        abstract = True

    def __str__(self):
        return ", ".join(str(pk) for pk in self.ids)

    @property
    def ids(self) -> list[int]:
        return [pk for pk in (self.lsoa_id, self.msoa_id, self.local_authority_id) if pk]


# What may be shown outside the project: published assets, minus a person's skill, language,
# experience or time (the individual domain) whose owner has not agreed to publish it. For
# AssetQuerySet.shareable and its partial index (the partner API's count).
SHAREABLE = models.Q(status=AssetStatus.PUBLISHED) & ~models.Q(
    domain=Domain.INDIVIDUAL, publish_consent=False
)


class AssetQuerySet(LocatedQuerySet, SiteScopedQuerySet):
    """`for_user(user)`: the assets of the sites a person reaches (core.sites), for the
    moderation queue and the re-check list; published ones are on the map for every site."""

    def published(self):
        return self.filter(status=AssetStatus.PUBLISHED)

    def shareable(self):
        """What may be shown outside the project (SHAREABLE)."""
        return self.filter(SHAREABLE)

    def visible_to(self, user):
        """What a person may see: inside the project (core.models.in_project) every published
        asset, outside it only the shareable ones; plus, signed in, their own."""
        visible = self.published() if in_project(user) else self.shareable()
        if user.is_authenticated:
            visible = visible | self.recorded_for(user)
        return visible

    def recorded_for(self, user):
        """What a person added, or what was added for them. Their participant record by a
        subquery, not a join: the join would be in every count and list of a signed-in page."""
        participant = self.model._meta.get_field("on_behalf_of").related_model
        return self.filter(
            models.Q(recorded_by=user)
            | models.Q(on_behalf_of__in=participant.objects.filter(user=user).values("pk"))
        )


class Asset(Located):
    """Something already strong in the neighbourhood: a place, a group, a service or a
    person's skill. Geometry is GeoJSON (WGS84); latitude/longitude is its point (or a shape's
    representative point), indexed for bounding-box queries (DESIGN §3)."""

    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_cy = models.TextField(_("description in Welsh"), blank=True)
    category = models.ForeignKey(AssetCategory, on_delete=models.PROTECT, related_name="assets")
    domain = models.CharField(_("domain"), max_length=10, choices=Domain.choices, editable=False)

    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    contact = models.CharField(_("how to get in touch"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_times = models.CharField(_("when it is open"), max_length=300, blank=True)
    cost = models.CharField(_("cost"), max_length=4, choices=Cost.choices, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    welcoming_to = models.JSONField(_("especially welcoming to"), default=list, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.SUBMITTED
    )
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=AssetSource.choices)
    publish_consent = models.BooleanField(
        _("the person agreed to show this outside the project"), default=False
    )
    last_verified_on = models.DateField(_("last checked"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets_recorded",
    )
    on_behalf_of = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    # Whose moderation queue it is in (assets.services.assets.asset_site): the site of the
    # participant or workshop it came from, else where it is, else the recorder's.
    site = models.ForeignKey(
        "core.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "latitude", "longitude"]),
            models.Index(fields=["status", "domain"]),
            # The list beside the map, and the partner API's pages in its default order (by
            # cursor): published assets by name, a page at a time.
            models.Index(fields=["status", "name", "id"], name="asset_status_name"),
            # The partner API's pages in the order partners sync by (?ordering=updated_at).
            models.Index(
                fields=["updated_at", "id"],
                condition=models.Q(status="published"),
                name="asset_published_updated",
            ),
            # The partner API's count of every shareable asset (its first page), read from
            # this small index alone (an index-only scan) rather than the whole table.
            models.Index(fields=["id"], condition=SHAREABLE, name="asset_shareable"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(latitude__range=(-90, 90), longitude__range=(-180, 180))
                ),
                name="asset_point_in_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(domain="individual") | models.Q(geometry__isnull=True),
                name="asset_individual_has_no_location",
            ),
        ]
        permissions = [("moderate_asset", _("Can moderate, import and export assets"))]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.name_cy if get_language() == "cy" and self.name_cy else self.name

    @property
    def display_description(self) -> str:
        if get_language() == "cy" and self.description_cy:
            return self.description_cy
        return self.description

    @property
    def home_check_needed(self) -> bool:
        """Whether a moderator must say this is not someone's home before publishing it
        (DESIGN §6): anything placed at a single point or given a street address or postcode
        could be one. An area (a park's outline) or a skill with no place cannot."""
        point = bool(self.geometry) and self.geometry.get("type") == "Point"
        return point or bool(self.address.strip() or self.postcode.strip())


class AssetAreas(LocatedAreas):
    """An asset's areas (LocatedAreas)."""

    asset = models.OneToOneField(
        Asset, on_delete=models.CASCADE, primary_key=True, related_name="areas", db_constraint=False
    )


class AssetEndorsement(models.Model):
    """A participant says "I use / value this": reveals assets valued by both groups."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="endorsements")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="endorsements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asset", "participant"], name="one_endorsement_each")
        ]

    def __str__(self):
        return f"{self.participant} values {self.asset}"


class TiePlace(models.Model):
    """Where a participant's tie formed, when it formed at a place or group on the map. Kept
    here rather than on the tie, so that participants never names assets (docs/architecture.md);
    deleting the asset deletes only this link, the tie stays "formed through a place"."""

    tie = models.OneToOneField(
        "participants.Tie", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="ties_formed")

    def __str__(self):
        return f"{self.tie} at {self.asset}"


class ImportStatus(models.TextChoices):
    """An import's status as its pages show it: the job's (core.models.JobStatus) in its
    step, and for a checked file whether it can be imported (AssetImport.state)."""

    CHECKING = "checking", _("Checking the file")
    READY = "ready", _("Ready to confirm")
    INVALID = "invalid", _("Has problems to fix")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportStep(models.TextChoices):
    CHECK = "check", _("Check the file")
    IMPORT = "import", _("Import the assets")


class ImportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    GEOJSON = "geojson", _("GeoJSON")
    OPENREFERRAL = "openreferral", _("Open Referral UK JSON")


class AssetImport(Job):
    """One upload of assets, a background job in two steps: the file is checked row by row
    into a preview (CHECK), then, when a coordinator confirms, imported all or nothing
    (IMPORT). Large files are handled by the worker, which records its progress here for
    the page to show (core.jobs)."""

    file_name = models.CharField(max_length=200)
    format = models.CharField(max_length=12, choices=ImportFormat.choices)
    content = models.TextField()
    step = models.CharField(max_length=6, choices=ImportStep.choices, default=ImportStep.CHECK)
    total_rows = models.PositiveIntegerField(default=0)
    # [{"row": 3, "name": ..., "errors": [{"field": ..., "message": ...}], "duplicates": [...]}]
    preview = models.JSONField(default=list, blank=True)
    # Problems the check found (in rows, or with the file as a whole): any, and nothing can
    # be imported.
    problem_count = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)

    # Longer than the import tasks may run (assets.tasks.IMPORT_LIMITS).
    lease = timedelta(minutes=20)
    unexpected_message = _(
        "Something went wrong on our side while handling the file. Try again in a minute."
    )
    timeout_message = _("The file took too long. Split it into smaller files and import each.")

    def __str__(self):
        return f"{self.file_name} ({self.state_label})"

    def get_absolute_url(self) -> str:
        return reverse("assets:asset-import", kwargs={"pk": self.pk})

    @property
    def retry_url(self) -> str | None:
        return reverse("assets:asset-import-retry", kwargs={"pk": self.pk})

    @property
    def state(self) -> str:
        if self.status == JobStatus.FAILED:
            return ImportStatus.FAILED
        if self.step == ImportStep.CHECK:
            if self.status == JobStatus.DONE:
                return ImportStatus.INVALID if self.problem_count else ImportStatus.READY
            return ImportStatus.CHECKING
        return ImportStatus.DONE if self.status == JobStatus.DONE else ImportStatus.IMPORTING

    @property
    def state_label(self) -> str:
        return ImportStatus(self.state).label

    @property
    def needs_attention(self) -> bool:
        return self.state in (ImportStatus.FAILED, ImportStatus.INVALID)

    @property
    def summary(self) -> str:
        if self.state == ImportStatus.DONE:
            return ngettext(
                "%(count)s asset imported", "%(count)s assets imported", self.imported_count
            ) % {"count": self.imported_count}
        if self.state == ImportStatus.INVALID:
            return ngettext("%(count)s problem", "%(count)s problems", self.problem_count) % {
                "count": self.problem_count
            }
        return ngettext("%(count)s row", "%(count)s rows", self.total_rows) % {
            "count": self.total_rows
        }
