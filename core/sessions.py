"""Signed-in sessions end after SESSION_IDLE_MINUTES without a request (SESSION_COOKIE_AGE).
A request from a signed-in person pushes the expiry back by saving the session, but at most
once every tenth of the limit, so that browsing does not write the session row on every
request: a session ends between 27 and 30 minutes after its last request with the default."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

ACTIVE_AT = "active_at"


def session_activity_mark(session) -> None:
    """Note activity now; the session middleware saves it, with a new expiry."""
    session[ACTIVE_AT] = int(time.time())


def session_activity_mark_on_sign_in(sender, request, user, **kwargs) -> None:
    session_activity_mark(request.session)


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        idle = time.time() - session.get(ACTIVE_AT, 0)
        if SESSION_KEY in session and idle >= settings.SESSION_COOKIE_AGE / 10:
            session_activity_mark(session)
        return response
