import json

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from assets.geocoding import postcode_normalise
from assets.maps import published_changed
from assets.models import AssetCategory, Cost, Domain, WelcomingTo
from assets.services.assets import HOME_CHECK_MISSING
from assets.versions import moderation_changed
from core.forms import EditConflictForm, OneTimeForm
from core.languages import language_choices
from core.widgets import AutocompleteSelect
from participants.models import Participant


def category_choices():
    """Categories grouped by domain, children indented under their parents."""
    groups = {domain: [] for domain in Domain}
    for category in AssetCategory.objects.select_related("parent"):
        label = f"– {category.name}" if category.parent_id else category.name
        groups[Domain(category.domain)].append((category.pk, label))
    return [("", _("Choose a category"))] + [
        (domain.label, choices) for domain, choices in groups.items()
    ]


class GeometryField(forms.CharField):
    """The map's hidden GeoJSON input, read as JSON; what it holds is checked where it is saved
    (assets.geo.place), with the rest of the record."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("The map pin could not be read: place it again.")
            ) from error
        except RecursionError as error:
            raise forms.ValidationError(
                _("The map pin holds lists nested too deeply to read: place it again.")
            ) from error


class AssetForm(forms.Form):
    """What a person tells us about an asset. The location comes from the map (a GeoJSON
    point in a hidden input) or, without the map, from the address and postcode."""

    category = forms.TypedChoiceField(
        label=_("What kind of asset is it?"),
        coerce=int,
        widget=AutocompleteSelect,
        error_messages={
            "required": _("Choose what kind of asset it is"),
            "invalid_choice": _("Choose a category from the list"),
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter the name of the place, group or skill")},
    )
    name_cy = forms.CharField(
        label=_("Name in Welsh"),
        max_length=200,
        required=False,
        help_text=_("If it has a Welsh name. Leave it empty if the name is the same in both."),
    )
    description = forms.CharField(
        label=_("What is good about it?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What happens there, who it helps, how to join in."),
    )
    description_cy = forms.CharField(
        label=_("What is good about it, in Welsh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "If you can write it in Welsh too. Without it, Welsh pages show it in English."
        ),
    )
    geometry = GeometryField()
    address = forms.CharField(label=_("Address or place name"), max_length=300, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    opening_times = forms.CharField(label=_("When is it open?"), max_length=300, required=False)
    cost = forms.ChoiceField(
        label=_("Does it cost anything?"),
        choices=Cost.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken there"),
        choices=language_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    welcoming_to = forms.MultipleChoiceField(
        label=_("Especially welcoming to"),
        choices=WelcomingTo.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact = forms.CharField(
        label=_("How to get in touch"),
        max_length=200,
        required=False,
        help_text=_("An organisation's phone number or e-mail – never a private person's."),
    )
    website = forms.URLField(
        label=_("Website"),
        assume_scheme="https",
        required=False,
        error_messages={"invalid": _("Enter a web address like https://example.org")},
    )
    publish_consent = forms.BooleanField(
        label=_("This is my own skill or time, and I agree to show it outside the project"),
        required=False,
    )

    def __init__(self, *args, on_behalf_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()
        if on_behalf_choices is not None:
            self.fields["on_behalf_of"] = forms.ModelChoiceField(
                label=_("On behalf of"),
                queryset=on_behalf_choices,
                required=False,
                empty_label=_("Nobody – I am adding it myself"),
                help_text=_("The participant who told you about it, by code."),
            )

    def clean_category(self):
        try:
            return AssetCategory.objects.get(pk=self.cleaned_data["category"])
        except AssetCategory.DoesNotExist as error:
            raise forms.ValidationError(_("Choose a category from the list")) from error

    def clean_postcode(self):
        value = self.cleaned_data["postcode"].strip()
        if value and not postcode_normalise(value):
            raise forms.ValidationError(_("Enter a real postcode, like SA1 6AA"))
        return postcode_normalise(value)

    def clean(self):
        cleaned = super().clean()
        category = cleaned.get("category")
        if category and category.domain == Domain.INDIVIDUAL:
            # A person's skill has no place: drop a pin left from an earlier choice.
            cleaned["geometry"] = None
            cleaned["address"] = cleaned["postcode"] = ""
        return cleaned

    @property
    def asset_fields(self) -> dict:
        skip = {"geometry", "on_behalf_of", "form_token", "version"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class AssetSubmitForm(OneTimeForm, AssetForm):
    """Adding an asset: sent twice (a double tap on a slow phone), it adds one."""


class AssetEditForm(EditConflictForm, AssetForm):
    """A moderator's edit, refused with both versions shown if someone saved it meanwhile."""


def participants_for_recording(user):
    """Whom a coordinator or facilitator may record an asset for: active participants of
    their sites."""
    return Participant.objects.for_user(user).active().only("id", "code")


class PublishForm(forms.Form):
    """Publishing: for something that could be someone's home (`Asset.home_check_needed`),
    the moderator must say it is not one; "it could be" is refused with what to do instead."""

    NOT_A_HOME = "not_a_home"
    COULD_BE = "could_be_home"
    home_check = forms.ChoiceField(
        label=_("Could this be someone's home?"),
        choices=[
            (NOT_A_HOME, _("No: it is a public place, a group's venue or a service")),
            (COULD_BE, _("Yes, or I am not sure")),
        ],
        widget=forms.RadioSelect,
        help_text=_(
            "Look at the map, the address and the description. A home is never published, "
            "not even the home of someone who offers help from it."
        ),
        error_messages={"required": HOME_CHECK_MISSING},
    )

    def __init__(self, *args, asset, **kwargs):
        super().__init__(*args, **kwargs)
        if not asset.home_check_needed:
            del self.fields["home_check"]

    def clean_home_check(self):
        if self.cleaned_data["home_check"] == self.COULD_BE:
            raise forms.ValidationError(
                _(
                    "Do not publish something that could be someone's home: choose “Do not "
                    "publish” below and say why, or edit it to move the pin."
                )
            )
        return self.cleaned_data["home_check"]

    @property
    def not_a_home(self) -> bool:
        return self.cleaned_data.get("home_check") == self.NOT_A_HOME


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not being published?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The person who sent it will see this. For example: “This looks like someone's "
            "home, so we can't show it on the map.”"
        ),
        error_messages={"required": _("Say why, so the person who sent it understands")},
    )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = AssetCategory
        fields = ["name_en", "name_cy", "domain", "parent", "slug", "order"]

    def clean_domain(self):
        domain = self.cleaned_data["domain"]
        category = self.instance
        if (
            category.pk
            and domain == Domain.INDIVIDUAL
            and category.assets.filter(latitude__isnull=False).exists()
        ):
            raise forms.ValidationError(
                _(
                    "Some assets in this category have a place on the map, and a person's "
                    "skills and time have none: move those assets first."
                )
            )
        return domain

    @transaction.atomic
    def save(self, commit=True):
        category = super().save(commit=commit)
        # Assets keep their category's domain for fast map queries: follow a change.
        category.assets.exclude(domain=category.domain).update(domain=category.domain)
        published_changed()  # the layer shows the domain; its category filter reads slugs
        moderation_changed()  # the queue asks for a place only outside people's skills
        return category
