from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

PLACES = {"percent": 1, "per_1000": 2, "score": 1, "count": 0}


@register.filter
def figure(value, unit: str) -> str:
    """A value as the profile prints it: decimal places by unit, a % sign for percentages,
    and a dash where there is no value."""
    if value is None:
        return "–"
    text = floatformat(value, PLACES.get(unit, 1))
    return f"{text}%" if unit == "percent" else text
