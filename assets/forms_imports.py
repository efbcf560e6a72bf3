from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assets.models import AssetCategory, ImportFormat
from assets.services.imports import import_format_detect
from core.uploads import uploaded_text
from core.widgets import AutocompleteSelect


class ImportUploadForm(forms.Form):
    """A file of assets. `file` cleans to the file's text; `file_name` is added beside it."""

    file = forms.FileField(
        label=_("File to import"),
        help_text=_(
            "A CSV file (saved as “CSV UTF-8”), a GeoJSON file or an Open Referral UK JSON "
            "file, up to 5 MB."
        ),
        error_messages={
            "required": _("Choose a file to import"),
            "empty": _("The file is empty. Choose a file with at least one asset in it."),
            "invalid": _("The file could not be read. Choose the file again."),
        },
    )
    format = forms.ChoiceField(
        label=_("What kind of file is it?"),
        choices=[("", _("Work it out from the file name")), *ImportFormat.choices],
        required=False,
        initial="",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what kind of file it is"),
            "invalid_choice": _("Choose CSV, GeoJSON or Open Referral UK"),
        },
    )
    default_category = forms.ModelChoiceField(
        label=_("Category for rows that name none or an unknown one"),
        queryset=AssetCategory.objects.all(),
        required=False,
        widget=AutocompleteSelect,
        empty_label=_("None – every row must name one of our categories"),
        help_text=_("Open Referral files rarely use our categories: choose one for them here."),
        error_messages={
            "required": _("Choose a category"),
            "invalid_choice": _("Choose one of the categories in the list"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_category"].label_from_instance = lambda category: (
            f"– {category.name}" if category.parent_id else category.name
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = uploaded_text(upload)
        if not content.strip():
            raise ValidationError(self.fields["file"].error_messages["empty"])
        self.cleaned_data["file_name"] = upload.name
        return content

    def clean(self):
        data = super().clean()
        if data.get("file") and not data.get("format"):
            try:
                data["format"] = import_format_detect(
                    file_name=data["file_name"], content=data["file"]
                )
            except ValidationError as error:
                self.add_error("format", error)
        return data


class ImportConfirmForm(forms.Form):
    skip_duplicates = forms.BooleanField(
        label=_("Skip rows that are likely duplicates"),
        required=False,
        initial=True,
        error_messages={"required": _("Choose whether to skip likely duplicates")},
    )
