from functools import lru_cache

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def layout(request):
    """What the base template needs on every page: the service name, and this same page in
    every language (with its query string) for the language toggle."""
    current = get_language()
    query = request.GET.urlencode()
    languages = []
    for code, _name in settings.LANGUAGES:
        url = _translated(request.path, code)
        languages.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": f"{url}?{query}" if query else url,
                "current": code == current,
            }
        )
    return {
        "service_name": settings.SITE_NAME,
        "languages": languages,
        "other_languages": [language for language in languages if not language["current"]],
    }


@lru_cache(maxsize=4096)
def _translated(path: str, code: str) -> str:
    """`path` in language `code` (the same for every request: kept per process, the most
    recent 4,096 paths)."""
    return translate_url(path, code)
