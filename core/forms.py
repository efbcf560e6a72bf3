from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import Role, User


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

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                _("The username %(username)s is taken. Choose another."),
                params={"username": username},
            )
        return username
