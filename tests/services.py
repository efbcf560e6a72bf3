"""Tests that need a service (PostgreSQL, Redis, Chromium, axe-core, docker-compose) skip
when it is missing on a developer's machine and say so; in CI (CYMUNED_REQUIRE_SERVICES=1)
a missing service fails the run instead."""

import os

import pytest

STRICT = os.environ.get("CYMUNED_REQUIRE_SERVICES", "") not in ("", "0", "false")
MISSING: set[str] = set()


def require_service(name: str, available: bool) -> None:
    if available:
        return
    MISSING.add(name)
    message = f"{name} is not available"
    if STRICT:
        pytest.fail(f"{message}, and CYMUNED_REQUIRE_SERVICES is set (CI needs every service)")
    pytest.skip(message)
