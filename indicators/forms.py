from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import uploaded_text


class ValueUploadForm(forms.Form):
    """A CSV of indicator values. `file` cleans to its text; `file_name` is added beside it."""

    file = forms.FileField(
        label=_("CSV file of indicator values"),
        help_text=_("Saved as “CSV UTF-8”, up to 5 MB, with the columns listed above."),
        error_messages={
            "required": _("Choose a file to import"),
            "empty": _("The file is empty. Choose a file with at least one value in it."),
            "invalid": _("The file could not be read. Choose the file again."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        content = uploaded_text(upload)
        if not content.strip():
            raise forms.ValidationError(self.fields["file"].error_messages["empty"])
        self.cleaned_data["file_name"] = upload.name
        return content
