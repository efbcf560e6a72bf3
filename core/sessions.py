"""Signed-in sessions end after SESSION_IDLE_MINUTES without a request (SESSION_COOKIE_AGE).
A request from a signed-in person pushes the expiry back by saving the session, but at most
once every tenth of the limit, so that browsing does not write the session row on every
request: a session ends between 27 and 30 minutes after its last request with the default.

Sessions are Django's database sessions (SESSION_ENGINE = "core.sessions"), read on every
signed-in request by one statement written out (SessionStore) rather than built by the ORM
each time: the same row, the same expiry check."""

import time
from functools import cache

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

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


class SessionStore(db.SessionStore):
    """django.contrib.sessions' database store, reading a session in a statement compiled
    once per process: building the ORM's query cost more than running it."""

    def _get_session_from_db(self):
        connection = connections[router.db_for_read(self.model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_read_sql(connection.alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0], expire_date=row[1])


@cache
def _read_sql(alias: str) -> str:
    from django.contrib.sessions.models import Session

    quote = connections[alias].ops.quote_name
    meta = Session._meta
    data, expiry, key = (
        quote(meta.get_field(name).column)
        for name in ("session_data", "expire_date", "session_key")
    )
    return f"SELECT {data}, {expiry} FROM {quote(meta.db_table)} WHERE {key} = %s AND {expiry} > %s"
