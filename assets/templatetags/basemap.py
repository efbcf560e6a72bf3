"""{% basemap_js %}: every map's base (static/js/basemap.js) and its settings. Put it after
{% leaflet_js %} and before the page's own map script and {% leaflet_map %}."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from assets.maps import basemap_script

register = template.Library()


@register.simple_tag
def basemap_js() -> str:
    return format_html(
        '{}\n<script src="{}"></script>',
        basemap_script(),
        static("js/basemap.js"),
    )
