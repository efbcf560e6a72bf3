"""Reading what a page hands back in its forms, as a browser would send it."""

import re


def hidden_value(page: str, name: str) -> str:
    """The value of the hidden input `name` on the page (a form token, a version); an empty
    one is drawn without a value, and a browser sends it as ""."""
    found = re.search(rf'<input type="hidden" name="{re.escape(name)}"(?: value="([^"]*)")?', page)
    assert found, f"no hidden input {name} on the page"
    return found.group(1) or ""


def page_text(response_or_html) -> str:
    """What a person reads on the page: its text without tags, spaces collapsed."""
    from django.utils.html import strip_tags

    html = getattr(response_or_html, "content", response_or_html)
    html = html.decode() if isinstance(html, bytes) else html
    return " ".join(strip_tags(html).split())
