"""{% disclosure_note %}: the one wording of the disclosure-control rules (DESIGN §6) that every
page and PDF showing suppressed numbers carries, with the numbers from participants.disclosure."""

from django import template

from participants.disclosure import MIN_GROUP_FOR_MEAN, SUPPRESSED, WITHHELD

register = template.Library()


@register.inclusion_tag("includes/disclosure_note.html")
def disclosure_note(css_class: str = "govuk-body-s") -> dict:
    return {
        "css_class": css_class,
        "suppressed": SUPPRESSED,
        "withheld": WITHHELD,
        "min_group": MIN_GROUP_FOR_MEAN,
    }
