from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import OneTimeForm, site_choice
from core.languages import language_choices
from core.models import Role
from core.sites import accounts_visible_to
from participants.models import (
    AgeBand,
    Cohort,
    ConsentMethod,
    ConsentScope,
    Gender,
    InformationSheet,
    ParticipantStatus,
)


class ConsentFields(forms.Form):
    """Consent as it is given in the room: which sheet, which scopes, how."""

    sheet = forms.ModelChoiceField(
        label=_("Information sheet version"),
        queryset=InformationSheet.objects.all(),
        empty_label=None,
        error_messages={"required": _("Choose the information sheet version they were given")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("They agree to"),
        choices=ConsentScope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick what they agree to")},
    )
    method = forms.ChoiceField(
        label=_("How they gave consent"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how they gave consent")},
    )
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter's language"),
        choices=[("", _("No interpreter"))],
        required=False,
    )
    given_on = forms.DateField(
        label=_("Date given"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the date as day, month and year")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpreter_language"].choices += language_choices()

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be dated in the future"))
        return given_on

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == ConsentMethod.VERBAL_INTERPRETER and not cleaned.get(
            "interpreter_language"
        ):
            self.add_error("interpreter_language", _("Choose the language the interpreter used"))
        return cleaned


class PersonalDetailsForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        error_messages={"invalid": _("Enter an e-mail address like name@example.org")},
    )
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RegisterForm(OneTimeForm, PersonalDetailsForm, ConsentFields):
    """Everything a coordinator records when someone joins, with an interpreter if needed.
    Sent twice (a double tap, a resend), it registers them once."""

    cohort = forms.ChoiceField(
        label=_("Which group are they in?"),
        choices=Cohort.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which group they are in")},
    )
    display_name = forms.CharField(
        label=_("Known as"),
        max_length=40,
        required=False,
        help_text=_("A first name or nickname for the workshop register. Never a full name."),
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), required=False)
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    age_band = forms.ChoiceField(
        label=_("Age"), choices=[("", _("Not given"))] + AgeBand.choices, required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("Not given"))] + Gender.choices, required=False
    )
    sign_in = forms.BooleanField(
        label=_("Give them a sign-in (username and passphrase) to add assets and see their page"),
        required=False,
    )

    field_order = [
        "cohort", "display_name", "preferred_language", "interpreter_needed", "age_band",
        "gender", "sheet", "scopes", "method", "interpreter_language", "given_on",
        "full_name", "phone", "email", "address",
    ]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [("", _("Not given"))] + language_choices()
        site_choice(self, user)  # a required choice only for someone with several sites

    def clean_scopes(self):
        scopes = self.cleaned_data["scopes"]
        if ConsentScope.TAKE_PART not in scopes:
            raise forms.ValidationError(
                _("They must agree to take part before anything about them is recorded")
            )
        return scopes

    @property
    def profile(self) -> dict:
        keys = [
            "cohort",
            "display_name",
            "preferred_language",
            "interpreter_needed",
            "age_band",
            "gender",
        ]
        return {key: self.cleaned_data[key] for key in keys}

    @property
    def personal(self) -> dict:
        return {key: self.cleaned_data[key] for key in ["full_name", "phone", "email", "address"]}


class ParticipantFilterForm(forms.Form):
    cohort = forms.ChoiceField(
        label=_("Group"), choices=[("", _("All groups"))] + Cohort.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status"))] + ParticipantStatus.choices,
        required=False,
    )
    consent = forms.ChoiceField(
        label=_("Current consent to"),
        choices=[("", _("Anything"))] + ConsentScope.choices,
        required=False,
    )

    def apply(self, participants):
        if not self.is_valid():
            return participants
        data = self.cleaned_data
        if data["cohort"]:
            participants = participants.filter(cohort=data["cohort"])
        if data["status"]:
            participants = participants.filter(status=data["status"])
        if data["consent"]:
            participants = participants.filter(
                consents__scope=data["consent"], consents__withdrawn_on__isnull=True
            )
        return participants


class AuditSearchForm(forms.Form):
    q = forms.CharField(label=_("Participant code or username"), max_length=40, required=False)


class DataAccessForm(forms.Form):
    """A coordinator records an evaluator's signed data-access agreement."""

    evaluator = forms.ModelChoiceField(
        label=_("Evaluator"),
        queryset=get_user_model().objects.filter(groups__name=Role.EVALUATOR).order_by("username"),
        error_messages={
            "required": _("Choose the evaluator who signed the agreement"),
            "invalid_choice": _("Choose one of the evaluators listed"),
        },
    )
    reference = forms.CharField(
        label=_("Agreement reference"),
        help_text=_("Where the signed agreement is filed, for example “DAA-2026-03”."),
        max_length=100,
        error_messages={"required": _("Say where the signed agreement is filed")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        evaluators = self.fields["evaluator"].queryset
        self.fields["evaluator"].queryset = evaluators.filter(pk__in=accounts_visible_to(user))
