"""Input no view should see: text holding a NUL character (PostgreSQL can neither store nor
compare it, so it would surface as a server error) and requests too large to read. Both are
answered here, before sessions, views or queries, with a page saying what was wrong."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

NUL = "\x00"


def _texts(request):
    yield request.path_info
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            yield key
            yield from values
    for uploads in request.FILES.lists():
        yield from (upload.name or "" for upload in uploads[1])


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _refuse(request, message, status: int):
    """The page, in the language of the address (LocaleMiddleware has not run yet)."""
    with translation.override(translation.get_language_from_request(request, check_path=True)):
        return render(request, "core/bad_input.html", {"message": message()}, status=status)


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _content_length(request) > settings.REQUEST_MAX_BYTES:  # refused unread
            limit = settings.REQUEST_MAX_BYTES / (1024 * 1024)
            return _refuse(request, lambda: too_large_message(limit), status=413)
        # A cookie we did not set whole is ignored rather than refused, so it cannot lock
        # someone out.
        request.COOKIES = {k: v for k, v in request.COOKIES.items() if NUL not in k + v}
        try:
            has_nul = any(NUL in text for text in _texts(request))
        except (RequestDataTooBig, TooManyFieldsSent):
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
            return _refuse(request, lambda: too_large_message(limit), status=413)
        if has_nul:
            return _refuse(request, nul_message, status=400)
        return self.get_response(request)


def nul_message() -> str:
    return _(
        "What you sent holds a “null” character, which cannot be stored. It often comes "
        "from copying text out of another program: type the text again, or remove the odd "
        "character, and try again. Nothing was saved."
    )


def too_large_message(limit_mb: float) -> str:
    return _(
        "What you sent is too large: a form can send up to %(limit)s MB, and a file to "
        "import up to 5 MB. If you drew a shape on the map, draw a simpler one; split a large "
        "file into smaller ones. Nothing was saved."
    ) % {"limit": f"{limit_mb:g}"}
