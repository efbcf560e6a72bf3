"""The toolkit's text is Markdown written by coordinators: rendered with Python-Markdown and
cleaned with nh3 (a maintained HTML sanitiser), so a section can hold headings, lists, emphasis
and links, and nothing that runs or loads anything."""

from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {"p", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "br"}
ATTRIBUTES = {"a": {"href"}}


@lru_cache(maxsize=256)
def markdown_html(text: str) -> SafeString:
    """Safe HTML from a section's Markdown; headings written as # or ## become level 3, so a
    section never outranks the page's own headings. Kept per process by the text itself (the
    toolkit page shows every section on every request, and the text changes rarely): an
    edited section is new text, rendered afresh."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 just above
