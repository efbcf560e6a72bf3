from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import EditConflictForm

MARKDOWN_HELP = _(
    "Markdown: a blank line between paragraphs, “- ” for a list, “### ” for a heading, **bold**."
)


class SectionForm(EditConflictForm):
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    body_en = forms.CharField(
        label=_("Text in English"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=MARKDOWN_HELP,
    )
    title_cy = forms.CharField(label=_("Title in Welsh"), max_length=200)
    body_cy = forms.CharField(
        label=_("Text in Welsh"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=MARKDOWN_HELP,
    )
