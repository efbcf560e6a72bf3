"""Deployment files: docker-compose.yml validates and matches the design, and production
settings pass Django's deploy checks and refuse to start without a real secret key."""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.services import require_service

ROOT = Path(__file__).resolve().parents[1]
APP_SERVICES = ("web", "worker", "beat")


def _production_env(**overrides: str) -> dict[str, str]:
    """The current environment (PATH and friends) without anything that would steer the
    settings, plus production settings and `overrides`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "PERSONAL_DATA_SALT_KEYS")
        and not key.startswith("DJANGO_")
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    env.update(overrides)
    return env


def _manage(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_docker_compose_file_is_valid(tmp_path):
    docker_compose = shutil.which("docker-compose")
    if docker_compose is None:
        require_service("docker-compose", available=False)
    # A copy, so .env.example (as .env) is what gets validated, not a developer's own .env.
    for name in ("docker-compose.yml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")

    result = subprocess.run(
        [docker_compose, "-f", "docker-compose.yml", "config", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr


def test_compose_services_match_the_design():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    for name in (*APP_SERVICES, "db", "redis"):
        assert name in services, f"service {name} missing"
        healthcheck = services[name].get("healthcheck") or {}
        assert healthcheck.get("test") and not healthcheck.get("disable"), (
            f"service {name} has no health check"
        )
    for name in APP_SERVICES:
        env_file = services[name].get("env_file")
        env_files = [env_file] if isinstance(env_file, str) else env_file or []
        assert ".env" in env_files, f"service {name} does not read .env"


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path):
    env = _production_env(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        PERSONAL_DATA_SALT_KEYS=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="cymuned.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output, output
    assert "System check identified some issues" not in output, output


@pytest.mark.parametrize(
    "secret_key",
    [None, "short", "django-insecure-" + secrets.token_urlsafe(50)[:50]],
    ids=["missing", "short", "django-insecure"],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret_key):
    env = _production_env(
        DJANGO_ALLOWED_HOSTS="cymuned.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    if secret_key is not None:
        env["DJANGO_SECRET_KEY"] = secret_key

    result = _manage("check", env=env)

    assert result.returncode != 0, result.stdout
    assert "DJANGO_SECRET_KEY" in result.stderr, result.stderr


@pytest.mark.parametrize(
    "salts",
    [
        None,
        "short",
        "local-only-personal-data-salt-but-long-enough",
        "change-me-to-32-or-more-random-characters",
    ],
)
def test_production_refuses_to_start_without_a_salt_for_personal_data(tmp_path, salts):
    env = _production_env(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="cymuned.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    if salts is not None:
        env["PERSONAL_DATA_SALT_KEYS"] = salts

    result = _manage("check", env=env)

    assert result.returncode != 0, result.stdout
    assert "PERSONAL_DATA_SALT_KEYS" in result.stderr, result.stderr


def test_web_worker_and_beat_come_back_by_themselves_and_wait_for_the_key_check():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    for name in APP_SERVICES:
        assert services[name].get("restart") in ("unless-stopped", "always"), name
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
    assert "check --deploy --fail-level ERROR" in " ".join(services["migrate"]["command"])


def test_the_worker_keeps_reconnecting_to_a_lost_broker():
    from config.celery import app

    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_max_retries is None  # never gives up and exits
    assert app.conf.result_backend_always_retry is True


def test_make_worker_says_how_production_runs_it():
    result = subprocess.run(
        ["make", "-n", "worker"], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert "docs/operations.md" in result.stdout and "supervisor" in result.stdout


def _dockerfile_collectstatic_env() -> dict[str, str]:
    """The variables the Dockerfile's collectstatic step sets (NAME=value before the command)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    step = next(line for line in text.splitlines() if "collectstatic" in line)
    before = step.split("python manage.py collectstatic")[0]
    return dict(token.split("=", 1) for token in before.split() if "=" in token)


def test_the_image_collects_static_files_under_production_settings(tmp_path):
    """The Dockerfile's collectstatic step, run with exactly the variables it sets: the manifest
    storage rewrites every reference, so a missing file (such as a source map) fails it."""
    build_env = _dockerfile_collectstatic_env()
    assert set(build_env) >= {"DJANGO_SECRET_KEY", "PERSONAL_DATA_SALT_KEYS"}
    env = _production_env(**build_env, STATIC_ROOT=str(tmp_path / "static"))

    # Brotli at its best compression takes minutes on a busy 2-core machine.
    result = _manage("collectstatic", "--noinput", env=env, timeout=900)

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    for name in (
        "css/cymuned.css",
        "vendor/leaflet.markercluster/leaflet.markercluster.js",
        "vendor/govuk-frontend/govuk-frontend.min.js",
        "leaflet/leaflet.js",
    ):
        hashed = tmp_path / "static" / manifest[name]
        assert hashed.is_file() and Path(f"{hashed}.gz").is_file(), name
        assert Path(f"{hashed}.br").is_file(), name
    _assert_gunicorn_serves_static(env, tmp_path, hashed=manifest["css/cymuned.css"])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _assert_gunicorn_serves_static(env: dict[str, str], tmp_path: Path, *, hashed: str) -> None:
    """gunicorn with gunicorn.conf.py (as the image runs it) serves a collected file by its
    hashed name, compressed, cached for a year or more and marked immutable."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for encoding in ("br", "gzip"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/static/{hashed}", headers={"Accept-Encoding": encoding}
            )
            response = _fetch_when_up(request, server)
            cache_control = response.headers["Cache-Control"]
            max_age = int(cache_control.split("max-age=")[1].split(",")[0])
            assert response.headers["Content-Encoding"] == encoding
            assert max_age >= 365 * 24 * 3600 and "immutable" in cache_control, cache_control
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fetch_when_up(request, server, *, wait: float = 60):
    deadline = time.monotonic() + wait
    while True:
        try:
            return urllib.request.urlopen(request, timeout=10)
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_vendored_scripts_name_no_missing_source_map():
    scripts = [path for path in (ROOT / "static" / "vendor").rglob("*.js") if path.is_file()]
    assert scripts  # a folder may end in .js too (static/vendor/chart.js/)
    for script in scripts:
        for line in script.read_text().splitlines():
            if "sourceMappingURL=" in line:
                map_name = line.rsplit("sourceMappingURL=", 1)[1].strip()
                assert (script.parent / map_name).is_file(), f"{script} names {map_name}"


def test_production_forces_the_demo_seeder_off(tmp_path):
    env = _production_env(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        PERSONAL_DATA_SALT_KEYS=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="cymuned.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        DEMO_SITE_ALLOWED="true",
    )

    result = _manage("seed_demo", env=env)

    assert result.returncode != 0, result.stdout
    assert "The demo site publishes its passphrases, so it is off here." in result.stderr
