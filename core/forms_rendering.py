"""Every Django form in the project renders as GOV.UK Frontend markup: labels, hints, error
messages linked by aria-describedby, and the error classes on invalid inputs."""

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

_INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "autocompleteselect": "govuk-select",
    "selectmultiple": "govuk-select",
    "radioselect": "govuk-radios__input",
    "checkbox": "govuk-checkboxes__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}
_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        widget_type = widget.__class__.__name__.lower().removesuffix("widget").removesuffix("input")
        css = _INPUT_CLASSES.get(widget_type, "govuk-input")
        if self.errors and css in _ERROR_CLASSES:
            css = f"{css} {_ERROR_CLASSES[css]}"
        attrs["class"] = " ".join(filter(None, [css, attrs.get("class", "")]))
        return attrs


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = GovukBoundField
