from datetime import timedelta

from django import template

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


@register.filter
def item_at(sequence, index: int):
    """sequence[index], or "" past its end: a column's name for a cell (data-label)."""
    try:
        return sequence[index]
    except (IndexError, TypeError, KeyError):
        return ""
