from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from assets.forms import AssetForm, GeometryField
from assets.models import Asset, AssetStatus
from core.forms import EditConflictForm, OneTimeForm, site_choice
from core.languages import language_choices
from core.sites import site_scope
from core.widgets import AutocompleteSelect
from participants.forms import ConsentFields
from participants.models import Cohort, Participant
from workshops.models import (
    ActionStatus,
    Affects,
    Attendance,
    Barrier,
    BarrierKind,
    Support,
    Workshop,
    WorkshopStatus,
)
from workshops.services import workshop_check_times

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _datetime_field(label, required_message):
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={
            "required": required_message,
            "invalid": _("Enter a date and a time, like 14/03/2026 10:30"),
        },
    )


class AssetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class AssetMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PersonField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def venue_choices(workshop: Workshop):
    """Published assets that have a place, where a workshop can be held (and the venue it has,
    even if that is no longer published)."""
    place = Q(status=AssetStatus.PUBLISHED, latitude__isnull=False)
    return Asset.objects.filter(place | Q(pk=workshop.venue_id)).order_by("name")


def facilitator_choices(workshop: Workshop, user):
    """Facilitators and coordinators who can sign in, in the sites `user` reaches (and
    whoever runs it already)."""
    people = get_user_model().objects.filter(is_active=True)
    staff = Q(
        groups__name__in=["facilitator", "coordinator"],
        pk__in=site_scope(people, user, field="sites").values("pk"),
    )
    if workshop.pk:
        staff |= Q(pk__in=workshop.facilitators.values("pk"))
    return (
        get_user_model()
        .objects.filter(staff)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class WorkshopForm(EditConflictForm, forms.ModelForm):
    """Planning or logging a workshop. Times come from the browser's date-and-time picker."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for the workshop")},
    )
    title_cy = forms.CharField(
        label=_("Title in Welsh"),
        max_length=200,
        required=False,
        help_text=_("Without it, Welsh pages show the title above, marked as English."),
    )
    theme = forms.CharField(
        label=_("Theme"),
        max_length=200,
        required=False,
        help_text=_("For example: getting about, food, feeling safe."),
    )
    starts_at = _datetime_field(_("Starts"), _("Enter when it starts"))
    ends_at = _datetime_field(_("Ends"), _("Enter when it ends"))
    venue = AssetChoiceField(
        label=_("Venue"),
        queryset=Asset.objects.none(),
        required=False,
        empty_label=_("Not decided yet"),
        widget=AutocompleteSelect,
        help_text=_("A place on the map. If it is missing, add it as an asset first."),
        error_messages={"invalid_choice": _("Choose a venue from the list")},
    )
    facilitators = PersonField(
        label=_("Who is running it?"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages with an interpreter"),
        choices=language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    support = forms.MultipleChoiceField(
        label=_("Support offered"),
        choices=Support.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=WorkshopStatus.choices,
        initial=WorkshopStatus.PLANNED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether it is planned, held or cancelled")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Never write anyone's full name or contact details here."),
    )

    class Meta:
        model = Workshop
        fields = [
            "site", "title", "title_cy", "theme", "starts_at", "ends_at", "venue", "facilitators",
            "languages", "support", "status", "notes",
        ]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        site_choice(self, user)
        self.fields["venue"].queryset = venue_choices(self.instance)
        self.fields["facilitators"].queryset = facilitator_choices(self.instance, user)

    def clean(self):
        cleaned = super().clean()
        try:
            workshop_check_times(starts_at=cleaned.get("starts_at"), ends_at=cleaned.get("ends_at"))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class AssetLinkForm(forms.Form):
    asset = AssetChoiceField(
        label=_("Link an asset already on the map"),
        queryset=Asset.objects.none(),
        empty_label=_("Choose an asset"),
        widget=AutocompleteSelect,
        error_messages={
            "required": _("Choose the asset to link"),
            "invalid_choice": _("Choose an asset from the list"),
        },
    )

    def __init__(self, *args, workshop: Workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = (
            Asset.objects.published()
            .exclude(identified_at_workshops=workshop)
            .order_by("name")
            .only("name", "name_cy")
        )


class WorkshopAssetForm(AssetForm):
    """A new asset named in the room: just enough to find it again. The rest, and its place
    on the map, is added when a coordinator checks it."""

    KEEP = ("category", "name", "description", "address", "postcode")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.KEEP:
                del self.fields[name]


class BarrierForm(forms.Form):
    """A barrier named at a workshop. Its place comes from the map (a GeoJSON point in a
    hidden input); without the map it simply has none."""

    title = forms.CharField(
        label=_("What gets in the way?"),
        max_length=200,
        error_messages={"required": _("Say what gets in the way, in a few words")},
    )
    title_cy = forms.CharField(
        label=_("The same in Welsh"),
        max_length=200,
        required=False,
        help_text=_("If someone in the room can write it in Welsh."),
    )
    description = forms.CharField(
        label=_("Tell us more"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who it stops, from doing what, and when."),
    )
    kind = forms.ChoiceField(
        label=_("What kind of barrier is it?"),
        choices=[("", _("Choose a kind"))] + BarrierKind.choices,
        error_messages={"required": _("Choose what kind of barrier it is")},
    )
    affects = forms.ChoiceField(
        label=_("Who does it affect?"),
        choices=Affects.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who it affects")},
    )
    geometry = GeometryField()

    @property
    def barrier_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "geometry"}


class ActionForm(forms.Form):
    """An action agreed at a workshop, tackling its barriers with its assets."""

    title = forms.CharField(
        label=_("What will be done?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what will be done")},
    )
    title_cy = forms.CharField(
        label=_("The same in Welsh"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("If someone in the room can write it in Welsh."),
    )
    barriers = forms.ModelMultipleChoiceField(
        label=_("Which barriers does it tackle?"),
        queryset=Barrier.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose the barrier or barriers this action tackles."),
            "invalid_choice": _("Choose barriers recorded at this workshop"),
        },
    )
    assets = AssetMultipleChoiceField(
        label=_("Which assets will it use?"),
        queryset=Asset.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner = forms.CharField(
        label=_("Who will do it?"),
        max_length=120,
        help_text=_("A role or an organisation, or a first name."),
        error_messages={"required": _("Say who will do it")},
    )
    due_on = forms.DateField(
        label=_("By when?"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as day, month and year")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        initial=ActionStatus.AGREED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the action's status")},
    )

    def __init__(self, *args, workshop: Workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["barriers"].queryset = workshop.barriers.all()
        self.fields["assets"].queryset = workshop.assets_identified.order_by("name")

    @property
    def action_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("title", "title_cy", "owner", "due_on", "status")}


def register_people(workshop: Workshop):
    """Active participants of the workshop's site for the register, by the name they are
    known by (those without one last), then code."""
    unnamed_last = Case(
        When(display_name="", then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return (
        Participant.objects.active()
        .filter(site=workshop.site_id)
        .annotate(unnamed=unnamed_last)
        .order_by("unnamed", Lower("display_name"), "code")
        .only("code", "display_name")
    )


def register_label(person: Participant) -> str:
    return f"{person.display_name} ({person.code})" if person.display_name else person.code


class AttendanceForm(forms.Form):
    """The register: a box per active participant, labelled with the name they are known by
    and their code only. It also carries who was ticked when the page was loaded, so saving
    it changes only what this person changed: two tablets ticking one register each keep
    their ticks."""

    present = forms.ModelMultipleChoiceField(
        label=_("Who came?"),
        queryset=Participant.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Someone ticked is not a participant")},
    )
    ticked_before = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, workshop: Workshop, **kwargs):
        people = list(register_people(workshop))
        shown = {person.pk for person in people}
        ticked = [
            pk
            for pk in Attendance.objects.filter(workshop=workshop).values_list(
                "participant", flat=True
            )
            if pk in shown
        ]
        kwargs.setdefault(
            "initial", {"present": ticked, "ticked_before": ",".join(map(str, sorted(ticked)))}
        )
        super().__init__(*args, **kwargs)
        self.workshop = workshop
        self.fields["present"].queryset = Participant.objects.filter(site=workshop.site_id)
        # Boxes for active people only, but any of the site's is accepted: someone withdrawn
        # who is ticked on a stale page reaches attendance_change, which says why they can't be.
        self.fields["present"].widget.choices = [
            (person.pk, register_label(person)) for person in people
        ]

    def clean_ticked_before(self) -> set[int] | None:
        if self.add_prefix("ticked_before") not in self.data:
            return None  # sent without it (a script): the ticks are the whole register
        value = self.cleaned_data["ticked_before"]
        try:
            return {int(pk) for pk in value.split(",") if pk.strip()}
        except ValueError as error:
            raise forms.ValidationError(
                _("The register could not be read: open it again and tick again.")
            ) from error

    @property
    def changes(self) -> dict:
        """Who this person ticked and unticked since the page was loaded."""
        present = list(self.cleaned_data["present"])
        before = self.cleaned_data["ticked_before"]
        if before is None:
            before = set(self.workshop.attendance.values_list("participant_id", flat=True))
        now = {person.pk for person in present}
        return {
            "ticked": [person for person in present if person.pk not in before],
            "unticked": sorted(before - now),
        }


class WalkInForm(OneTimeForm, ConsentFields):
    """Someone who came without being registered: enough to put them on the register, with
    their consent to take part. A coordinator completes their record later. Sent twice (a
    double tap, a resend), it adds them once."""

    display_name = forms.CharField(
        label=_("Known as"),
        max_length=40,
        required=False,
        help_text=_("A first name or nickname for the register. Never a full name."),
    )
    cohort = forms.ChoiceField(
        label=_("Which group are they in?"),
        choices=Cohort.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which group they are in")},
    )
    take_part = forms.BooleanField(
        label=_("They agree to take part in the project and its evaluation"),
        help_text=_("Go through the information sheet with them first."),
        error_messages={"required": _("Record their consent to take part before adding them")},
    )

    field_order = ["display_name", "cohort", "take_part", "method", "interpreter_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The latest information sheet is used; a walk-in consents to taking part only.
        for name in ("sheet", "scopes", "given_on"):
            del self.fields[name]

    @property
    def walk_in(self) -> dict:
        data = self.cleaned_data
        return {
            "profile": {"display_name": data["display_name"], "cohort": data["cohort"]},
            "consented": data["take_part"],
            "method": data["method"],
            "interpreter_language": data["interpreter_language"],
        }


class BarrierProposalForm(OneTimeForm):
    """A participant names a barrier from their own page, in their own words."""

    title = forms.CharField(
        label=_("What gets in your way?"),
        max_length=200,
        help_text=_("A few words, for example: “The bus does not run in the evening”."),
        error_messages={
            "required": _("Say what gets in your way, in a few words"),
            "max_length": _("Use 200 characters or fewer – you can say more below"),
        },
    )
    description = forms.CharField(
        label=_("Tell us more (if you want to)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who it stops, from doing what, and when. Do not write anyone's name."),
        error_messages={"max_length": _("Use 2,000 characters or fewer")},
    )
    kind = forms.ChoiceField(
        label=_("What is it about? (if you know)"),
        choices=[("", _("I am not sure"))] + BarrierKind.choices,
        required=False,
    )


class BarrierAcceptForm(forms.Form):
    """A facilitator settles a named barrier's title, kind and who it affects as they accept it."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the barrier a title")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of barrier"),
        choices=[("", _("Choose a kind"))] + BarrierKind.choices,
        error_messages={"required": _("Choose what kind of barrier it is")},
    )
    affects = forms.ChoiceField(
        label=_("Who does it affect?"),
        choices=Affects.choices,
        error_messages={"required": _("Choose who it affects")},
    )
