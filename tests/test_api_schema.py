"""The OpenAPI schema is a tested artefact: generated without a warning, valid OpenAPI 3, and
listing every endpoint of the router."""

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

from tests.test_api_walk import api_endpoints


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    # --fail-on-warn: a warning (an unresolvable field, a missing type) fails the test.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


# A path parameter's value that its pattern takes, by name (a number for the others).
PLACEHOLDERS = {"name": "toolkit.zip"}


def test_the_schema_lists_every_endpoint_of_the_router(schema):
    routed = set()
    endpoints = api_endpoints() | api_endpoints("api/openreferral/")
    assert "api:openreferral-services" in endpoints
    for name, pattern in endpoints.items():
        kwargs = {key: PLACEHOLDERS.get(key, 987654321) for key in pattern.pattern.regex.groupindex}
        url = reverse(name, kwargs=kwargs or None)
        for key, value in kwargs.items():
            url = url.replace(str(value), "{id}" if key == "pk" else f"{{{key}}}")
        routed.add(url)

    assert routed == set(schema["paths"])
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())


def test_the_schema_names_both_ways_of_sending_a_key(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["bearerKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "Authorization: Bearer <key>",
    }
    assert schemes["headerKey"] == {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
    security = schema["paths"]["/api/v1/assets/"]["get"]["security"]
    assert {"bearerKey": []} in security and {"headerKey": []} in security


@pytest.mark.django_db
def test_the_schema_and_its_docs_are_served_to_anyone(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    docs = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    assert schema.status_code == 200
    assert "/api/v1/assets/" in schema.json()["paths"]
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in (
        docs.content.decode()
    )
    assert "<script>" not in docs.content.decode()  # no inline script: the CSP allows none
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_schema_gives_a_welsh_field_beside_every_english_name_and_title(schema):
    """What a partner shows people in English has its Welsh beside it: name_cy, title_cy,
    description_cy, definition_cy."""
    english = {"name", "name_en", "title", "description", "definition_en"}
    missing = []
    for component, shape in schema["components"]["schemas"].items():
        fields = set(shape.get("properties", {}))
        for field in fields & english:
            welsh = field.removesuffix("_en") + "_cy"
            if welsh not in fields:
                missing.append(f"{component}.{field}")

    assert "title_cy" in schema["components"]["schemas"]["Workshop"]["properties"]
    assert "title_cy" in schema["components"]["schemas"]["Action"]["properties"]
    # A file's name (toolkit-cy.pdf) is in no language.
    assert missing == ["ToolkitFile.name"]
