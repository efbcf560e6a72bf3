import pytest

from tests.services import require_service

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_service_ok(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] in ("ok", "eager")


def test_healthz_is_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")


def test_healthz_is_503_when_the_broker_is_down(client):
    from config.celery import app

    original = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.task_always_eager, app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error")


@pytest.fixture
def real_broker(settings):
    """The Celery app pointed at the Redis the environment names, not running tasks eagerly."""
    require_service("redis (REDIS_URL)", bool(settings.REDIS_URL))
    from config.celery import app

    original = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager, app.conf.broker_url = False, settings.REDIS_URL
    yield app
    app.conf.task_always_eager, app.conf.broker_url = original


def test_healthz_reaches_the_real_broker(client, real_broker):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


def test_healthz_names_the_broker_when_its_redis_is_gone(client, real_broker):
    real_broker.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok" and body["checks"]["cache"] == "ok"
    assert body["checks"]["broker"] == "error: OperationalError"
