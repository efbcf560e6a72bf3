from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.sites import SiteScopedQuerySet, site_scope
from participants.encryption import (
    EncryptedCharField,
    EncryptedEmailField,
    EncryptedTextField,
    Undecryptable,
)
from participants.vocabularies import Cohort, ContactGroup, TimePoint


class ParticipantStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")


class AgeBand(models.TextChoices):
    UNDER_25 = "16-24", _("16 to 24")
    AGE_25_34 = "25-34", _("25 to 34")
    AGE_35_49 = "35-49", _("35 to 49")
    AGE_50_64 = "50-64", _("50 to 64")
    AGE_65_PLUS = "65+", _("65 or over")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("In another way")
    NOT_SAID = "not_said", _("Prefer not to say")


class ParticipantQuerySet(SiteScopedQuerySet):
    """`for_user(user)`: the participants of the sites a person reaches (core.sites)."""

    def active(self):
        return self.filter(status=ParticipantStatus.ACTIVE)


class Participant(models.Model):
    """A person taking part, known everywhere but the coordinator's personal-details page only
    by a pseudonymous code such as P-017. It belongs to one site (core.Site). The base layer:
    imports no other app but core."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    site = models.ForeignKey(
        "core.Site", on_delete=models.PROTECT, related_name="participants", verbose_name=_("site")
    )
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
    display_name = models.CharField(
        _("known as"),
        max_length=40,
        blank=True,
        help_text=_(
            "A first name or nickname facilitators use on the register; never a full name."
        ),
    )
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    age_band = models.CharField(_("age"), max_length=5, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code

    @property
    def is_sanctuary(self) -> bool:
        return self.cohort in Cohort.sanctuary()


class PersonalDetails(models.Model):
    """Who a participant is: encrypted at rest (django-fernet-encrypted-fields, keys from
    DJANGO_SECRET_KEY and PERSONAL_DATA_SALT_KEYS), shown only on coordinator pages, every read
    and change audited, erased on withdrawal."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="personal_details"
    )
    full_name = EncryptedCharField(_("full name"), max_length=200, blank=True, null=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, null=True)
    email = EncryptedEmailField(_("e-mail"), blank=True, null=True)
    address = EncryptedTextField(_("address"), blank=True, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Personal details of {self.participant}"

    @property
    def undecryptable(self) -> bool:
        """True when any detail was encrypted with a key this installation does not have:
        nothing may be shown as, or saved over, such a value."""
        return any(
            isinstance(getattr(self, name), Undecryptable)
            for name in ("full_name", "phone", "email", "address")
        )


class KeyCanary(models.Model):
    """A known value encrypted with the personal-data keys when the database was first
    migrated: `check --deploy` fails when it does not decrypt (participants.encryption)."""

    token = EncryptedCharField(max_length=100)

    def __str__(self):
        return "personal-data key canary"


class InformationSheet(models.Model):
    """A version of the participant information sheet that consent is given against."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    published_on = models.DateField(_("published on"))
    summary_en = models.TextField(_("summary (English)"))
    summary_cy = models.TextField(_("summary (Welsh)"))

    class Meta:
        ordering = ["-published_on"]

    def __str__(self):
        return self.version


class ConsentScope(models.TextChoices):
    TAKE_PART = "take_part", _("Take part in the project and its evaluation")
    CONTACT = "contact", _("Be contacted by the project team")
    PHOTOS = "photos", _("Appear in photos")
    SHARE_ANONYMISED = "share_anonymised", _("Share anonymised answers after leaving")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written (signed form)")
    VERBAL_INTERPRETER = "verbal_interpreter", _("Spoken, with an interpreter")
    VERBAL = "verbal", _("Spoken")


class ConsentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(withdrawn_on__isnull=True)


class Consent(models.Model):
    """One scope of consent, given against one version of the information sheet; withdrawing
    it sets withdrawn_on (rows are never deleted, so the history stays)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    sheet = models.ForeignKey(InformationSheet, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(_("scope"), max_length=20, choices=ConsentScope.choices)
    method = models.CharField(_("how it was given"), max_length=20, choices=ConsentMethod.choices)
    interpreter_language = models.CharField(_("interpreter's language"), max_length=10, blank=True)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["participant", "scope", "-given_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "scope"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="one_current_consent_per_scope",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True)
                | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return f"{self.participant} {self.scope}"


class AuditAction(models.TextChoices):
    READ = "read", _("Read")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    WITHDRAW = "withdraw", _("Withdrew")
    ERASE = "erase", _("Erased")
    DOWNLOAD = "download", _("Downloaded")


class AuditEventQuerySet(models.QuerySet):
    def for_user(self, user):
        """What a coordinator sees of the log: events about the participants of their sites,
        and events without a participant (an account, a download) by people in their sites.
        A superuser sees it all. Derived, not stored: the log is never rewritten."""
        if user.is_superuser:
            return self
        actors = site_scope(user._meta.model.objects.all(), user, field="sites").values("pk")
        codes = Participant.objects.for_user(user).values("code")
        return self.filter(
            models.Q(participant_code__in=codes)
            | models.Q(participant_code="", actor_id__in=actors)
        )


class AuditEvent(models.Model):
    """Who read or changed personal details, consent or answers, and when. Append-only: the
    model refuses updates and deletes, and on PostgreSQL triggers refuse them and TRUNCATE too.
    The application's database role may only read and add rows (`manage.py grant_app_role`)."""

    APPEND_ONLY = True

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No database constraint and no cascade: nothing may rewrite an audit row, even when an
    # account is deleted (actor_name keeps who it was).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    subject = models.CharField(max_length=40)  # "personal_details", "consent", "answers", …
    participant_code = models.CharField(max_length=12, db_index=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    # What a reader of the log sees for each subject the services write (stored in English,
    # shown in the page's language); an unknown subject is shown as stored.
    SUBJECT_LABELS = {
        "account": _("Account"),
        "API key": _("API key"),
        "answers": _("Answers"),
        "consent": _("Consent"),
        "consent and answers": _("Consent and answers"),
        "data access agreement": _("Data access agreement"),
        "organisation": _("Organisation"),
        "own data": _("Their own data"),
        "participant": _("Participant"),
        "personal_details": _("Personal details"),
        "sign-in": _("Sign-in"),
    }

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.subject}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")

    @property
    def subject_label(self) -> str:
        return self.SUBJECT_LABELS.get(self.subject, self.subject)


class QuestionnaireResponse(models.Model):
    """One participant's answers to one instrument at one time point, with the scores the
    instrument's published rule gives (participants/instruments.py)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="responses")
    instrument = models.CharField(_("questionnaire"), max_length=20)
    time_point = models.CharField(_("time point"), max_length=10, choices=TimePoint.choices)
    completed_on = models.DateField(_("completed on"))
    answers = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    language = models.CharField(_("language answered in"), max_length=10, default="en")
    interpreter_used = models.BooleanField(_("an interpreter helped"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant", "time_point", "instrument"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "instrument", "time_point"], name="one_response_each"
            )
        ]

    def __str__(self):
        return f"{self.participant} {self.instrument} {self.time_point}"


class TieFormed(models.TextChoices):
    BEFORE = "before", _("Before the project")
    WORKSHOP = "workshop", _("Through a workshop")
    ASSET = "asset", _("Through a place or group on the map")
    ELSEWHERE = "elsewhere", _("Somewhere else")


class Tie(models.Model):
    """A tie in a participant's ego network at a time point: to another participant (by
    code), or to a contact described only by group and relationship — never by name."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ties")
    time_point = models.CharField(_("time point"), max_length=10, choices=TimePoint.choices)
    alter = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="tied_by"
    )
    alter_group = models.CharField(_("their group"), max_length=12, choices=ContactGroup.choices)
    relationship = models.CharField(_("relationship"), max_length=12)
    closeness = models.PositiveSmallIntegerField(_("closeness"))
    formed = models.CharField(
        _("where it formed"), max_length=10, choices=TieFormed.choices, default=TieFormed.BEFORE
    )
    # Which place on the map, when formed there, is kept by assets (assets.TiePlace), so
    # that participants never names a higher app (docs/architecture.md).

    class Meta:
        ordering = ["participant", "time_point", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closeness__gte=1, closeness__lte=3), name="tie_closeness_1_3"
            ),
            models.CheckConstraint(
                condition=~models.Q(alter=models.F("participant")), name="tie_not_to_self"
            ),
        ]

    def __str__(self):
        return f"{self.participant} → {self.alter or self.alter_group} ({self.time_point})"

    @property
    def bridging(self) -> bool | None:
        """True for a tie between a tenant and a person seeking sanctuary; None when the
        contact is a professional or other (neither bonding nor bridging)."""
        own = "sanctuary" if self.participant.is_sanctuary else "tenant"
        if self.alter_group not in ("tenant", "sanctuary") or self.participant.cohort == "other":
            return None
        return own != self.alter_group


class DataAccessAgreementQuerySet(models.QuerySet):
    def current(self):
        return self.filter(revoked_at__isnull=True)


class DataAccessAgreement(models.Model):
    """An evaluator's signed data-access agreement: while it is current they download the
    full pseudonymised dataset instead of the coarsened one (docs/evaluation.md). Granted
    and revoked by a coordinator, both audited; rows are never deleted."""

    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_access_agreements"
    )
    reference = models.CharField(
        _("agreement reference"),
        max_length=100,
        help_text=_("Where the signed agreement is filed, for example “DAA-2026-03”."),
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = DataAccessAgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_current_data_access_agreement",
            )
        ]

    def __str__(self):
        return f"{self.evaluator} {self.reference}"
