import json
import uuid
from datetime import date, datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Model
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ApiScope, Organisation, Role, Site, User
from .sites import sites_of


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's errors on the form: on their field, or at the top for the location
    (a hidden field, so its message must be seen in the summary)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        visible = field in form.fields and not form.fields[field].widget.is_hidden
        form.add_error(field if visible else None, errors)


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or passphrase is not right. Check them and try again, or ask your "
            "coordinator for a new passphrase."
        ),
        "inactive": _("This account has been closed. Ask your coordinator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Passphrase or password")
        self.fields["username"].widget.attrs.update(autocapitalize="none", spellcheck="false")
        self.fields["username"].error_messages["required"] = _("Enter your username")
        self.fields["password"].error_messages["required"] = _("Enter your passphrase")


class PassphraseChangeForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, message in [
            ("old_password", _("Current passphrase"), _("Enter your current passphrase")),
            ("new_password1", _("New passphrase"), _("Enter a new passphrase")),
            ("new_password2", _("New passphrase again"), _("Enter the new passphrase again")),
        ]:
            self.fields[name].label = label
            self.fields[name].error_messages["required"] = message


def site_choice(form: forms.BaseForm, user, *, name: str = "site") -> None:
    """Give `form` a required choice among `user`'s sites when they have several; with one
    (or none) there is no choice and the service takes their only site (core.sites)."""
    choices = sites_of(user)
    if len(choices) < 2:
        form.fields.pop(name, None)
        return
    form.fields[name] = forms.ModelChoiceField(
        label=_("Site"),
        queryset=choices,
        empty_label=_("Choose a site"),
        error_messages={
            "required": _("Choose a site"),
            "invalid_choice": _("Choose one of your sites"),
        },
    )


class PassphraseWordsField(forms.ChoiceField):
    """English or Welsh words for a new passphrase (core/wordlists/)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Passphrase words in"),
            choices=[("en", _("English")), ("cy", _("Welsh"))],
            initial="en",
            widget=forms.RadioSelect,
            help_text=_("Choose the language the person reads best. Both lists are easy to say."),
            required=False,  # English when not chosen
            **kwargs,
        )


class PassphraseResetForm(forms.Form):
    words = PassphraseWordsField()


class AccountCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=40,
        error_messages={"required": _("Enter a username")},
        help_text=_(
            "Letters, numbers, dots and hyphens. Use the participant code or a nickname, "
            "never a full name."
        ),
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9.-]{3,40}$",
                _("Use 3 to 40 letters, numbers, dots or hyphens, with no spaces."),
            )
        ],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Role.choices,
        initial=Role.PARTICIPANT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role")},
    )

    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The sites this account works in or may see."),
        error_messages={"required": _("Choose at least one site")},
    )

    organisation = forms.ModelChoiceField(
        label=_("Partner organisation (partners only)"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("None"),
        help_text=_("A partner sees the API keys of their organisation."),
    )
    words = PassphraseWordsField()

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        choices = sites_of(by)
        if len(choices) < 2:  # their only site is granted without asking
            del self.fields["sites"]
        else:
            self.fields["sites"].queryset = choices

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("The username %(username)s is taken. Choose another."),
                params={"username": username},
            )
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organisation") and cleaned.get("role") != Role.PARTNER:
            self.add_error("organisation", _("Only partners belong to an organisation"))
        return cleaned


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=150,
        error_messages={"required": _("Enter the name of the organisation")},
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Organisation.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("There is already an organisation called %(name)s."), params={"name": name}
            )
        return name


class OneTimeForm(forms.Form):
    """A form that makes a record carries a one-time token, issued with each new page, so a
    double tap or a resent POST makes one record (core.services.form_submission_once)."""

    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_form_token(self):
        # A page from before tokens (or a script) sends none: it gets one of its own.
        return self.cleaned_data["form_token"] or uuid.uuid4()


class ApiKeyIssueForm(OneTimeForm):
    name = forms.CharField(
        label=_("Name of the key"),
        max_length=100,
        help_text=_("What it is for, so you can tell keys apart: for example “Housing map”."),
        error_messages={"required": _("Enter a name for the key")},
    )
    scope = forms.ChoiceField(
        label=_("What the key may read"),
        choices=ApiScope.choices,
        initial=ApiScope.PUBLIC,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the key may read")},
    )


class EditConflictForm(forms.Form):
    """An edit form that carries the version of the record it was opened on. If someone else
    saved it since, the form is shown again, nothing saved, with their version beside this
    one (`differences`) and the newer version, so saving again keeps this one knowingly."""

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    differences: list[dict] = []

    def conflict(self, *, theirs: dict, version: str) -> None:
        self.differences = [
            {
                "label": field.label,
                "theirs": _display(field, theirs.get(name)),
                "yours": _display(field, self.cleaned_data.get(name)),
            }
            for name, field in self.fields.items()
            if name in theirs and _changed(field, theirs[name], self[name].data)
        ]
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = version
        self.add_error(
            None,
            _(
                "Someone else changed this since you opened it. Nothing is saved yet: compare "
                "their version with yours below, change what you need to and save again."
            ),
        )


def _changed(field, theirs, yours) -> bool:
    if isinstance(field.widget, forms.HiddenInput):  # a place on the map, as GeoJSON text
        return _json(theirs) != _json(yours)
    return field.has_changed(theirs, yours)


def _json(value):
    try:
        return json.loads(value) if isinstance(value, str) and value.strip() else value or None
    except json.JSONDecodeError:
        return value


def _display(field, value) -> str:
    """A value as a person reads it: choice labels, names, local dates; a dash for none."""
    many = isinstance(value, list | tuple | set) or hasattr(value, "all")  # a queryset
    values = list(value) if many else [value]
    labels = {str(key): label for key, label in _choices(field)}
    shown = []
    for item in values:
        if item in (None, "", False):
            continue
        if isinstance(item, datetime):
            item = formats.localize(timezone.localtime(item) if timezone.is_aware(item) else item)
        elif isinstance(item, date):
            item = formats.localize(item)
        elif item is True:
            item = gettext("Yes")
        elif isinstance(item, Model):
            item = labels.get(str(item.pk), str(item))
        elif isinstance(item, dict) or isinstance(field.widget, forms.HiddenInput):
            item = _place(_json(item))
        else:
            item = labels.get(str(item), item)
        shown.append(str(item))
    return ", ".join(shown) or "–"


def _place(geometry) -> str:
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        longitude, latitude = geometry["coordinates"][:2]
        return gettext("a pin at %(lat).5f, %(lng).5f") % {"lat": latitude, "lng": longitude}
    return gettext("a place on the map") if geometry else "–"


def _choices(field):
    for key, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):  # a group of choices
            yield from label
        else:
            yield getattr(key, "value", key), label
