"""Checks behind /healthz: each returns "ok", "eager" (no broker configured) or an error name."""

from celery import current_app
from django.core.cache import cache
from django.db import connection


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "unhealthy"
        return f"error: {type(error).__name__}"
    return "ok"


def check_cache() -> str:
    try:
        cache.set("healthz", "ok", timeout=10)
        if cache.get("healthz") != "ok":
            return "error: value not kept"
    except Exception as error:  # noqa: BLE001
        return f"error: {type(error).__name__}"
    return "ok"


def check_broker() -> str:
    if current_app.conf.task_always_eager:
        return "eager"
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as error:  # noqa: BLE001
        return f"error: {type(error).__name__}"
    return "ok"


def health_report() -> tuple[bool, dict]:
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    healthy = not any(value.startswith("error") for value in checks.values())
    return healthy, {"status": "ok" if healthy else "error", "checks": checks}
