from datetime import timedelta

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import chrome

register = template.Library()


@register.filter
def minutes(value: timedelta) -> int:
    """Whole minutes in a duration, rounded up (a 90-second wait reads as 2 minutes)."""
    return -(-int(value.total_seconds()) // 60)


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """This page's query string with another page number (filters kept)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.simple_tag
def in_language(obj, field: str = "name") -> str:
    """`obj.<field>` in the page's language: on Welsh pages its Welsh (`<field>_cy`) when it
    has one, otherwise the English marked as such — lang="en" so a screen reader pronounces
    it as English, and a small "yn Saesneg" tag so a reader knows why."""
    english = getattr(obj, field) or ""
    welsh = getattr(obj, f"{field}_cy", "") or ""
    if get_language() != "cy" or not english:
        return english or welsh
    if welsh:
        return welsh
    return format_html(
        '<span lang="en">{}</span> '
        '<strong class="govuk-tag govuk-tag--grey app-in-other-language">{}</strong>',
        english,
        _("in English"),
    )


@register.filter
def item_at(sequence, index: int):
    """sequence[index], or "" past its end: a column's name for a cell (data-label)."""
    try:
        return sequence[index]
    except (IndexError, TypeError, KeyError):
        return ""


@register.simple_tag(takes_context=True)
def site_menu(context) -> str:
    """The menu's items for this person and page (core.chrome)."""
    return chrome.menu(context["request"])


@register.simple_tag
def site_footer() -> str:
    """The footer (core.chrome)."""
    return chrome.footer()
