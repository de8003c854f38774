"""The OpenAPI spec declares every answer, and every answer is what its model declares."""

from __future__ import annotations

import copy
import typing
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from tests.server.conftest import local_client
from wiretrace.report.records import SCHEMA_ID
from wiretrace.server.app import create_app
from wiretrace.server.models import SchemaId


@pytest.fixture(scope="module")
def client(analyzed_examples: Path) -> TestClient:
    return local_client(create_app(analyzed_examples))


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict:
    return client.get("/api/openapi.json").json()


def test_the_models_name_the_output_schema_version() -> None:
    assert typing.get_args(SchemaId) == (SCHEMA_ID,)


def _refs(schema: dict) -> list[str]:
    """The component names a response schema points to (directly or in a union)."""
    if "$ref" in schema:
        return [schema["$ref"].rsplit("/", 1)[1]]
    return [name for part in schema.get("anyOf", []) for name in _refs(part)]


def test_every_json_operation_declares_a_model_for_its_answer(spec: dict) -> None:
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation["responses"]["200"]["content"]["application/json"]
            names = _refs(content["schema"])
            assert names, f"{method.upper()} {path} answers an untyped object"
            for name in names:
                assert spec["components"]["schemas"][name]["properties"], name
            for status in ("400", "401", "404", "422", "429", "503"):
                error = operation["responses"][status]["content"]["application/json"]
                assert _refs(error["schema"]) == ["ErrorResponse"], (path, status)


def _strict(spec: dict) -> dict:
    """The spec's schemas with no property left undeclared (``additionalProperties``)."""
    components = copy.deepcopy(spec["components"])

    def close(node: Any) -> None:
        if isinstance(node, dict):
            if "properties" in node:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(components)
    return components


def test_every_answer_is_exactly_what_its_model_declares(
    client: TestClient, spec: dict, examples: Path
) -> None:
    """Each field sent is declared, with its type: the spec cannot drift from the views."""
    components = _strict(spec)
    story = client.get("/api/stories").json()["stories"][0]["id"]
    trace_text = (examples / "republish_trimmed.txt").read_text("utf-8")
    calls = [
        ("get", "/api/health", "/api/health", {}),
        ("get", "/api/stories", "/api/stories", {}),
        ("get", "/api/stories", "/api/stories", {"params": {"q": "harbour", "limit": 1}}),
        ("get", "/api/stories/{story_id}", f"/api/stories/{story}", {}),
        ("get", "/api/compare", "/api/compare?a=wire_original&b=spun_rewrite", {}),
        ("get", "/api/compare", "/api/compare?a=wire_original&b=unrelated_sports", {}),
        ("get", "/api/documents", "/api/documents?limit=3", {}),
        ("get", "/api/documents", "/api/documents?id=wire_original", {}),
        ("get", "/api/documents/{doc_id}", "/api/documents/translation_fr", {}),
        ("get", "/api/pairs", "/api/pairs?limit=500", {}),
        ("get", "/api/sources", "/api/sources", {}),
        ("get", "/api/sources/{name}", "/api/sources/TrendPulse%20Buzz", {}),
        ("post", "/api/trace", "/api/trace", {"json": {"text": trace_text}}),
    ]
    seen = set()
    for method, template, url, kwargs in calls:
        response = getattr(client, method)(url, **kwargs)
        assert response.status_code == 200, url
        declared = spec["paths"][template][method]["responses"]["200"]["content"]
        schema = {**declared["application/json"]["schema"], "components": components}
        Draft202012Validator(schema).validate(response.json())
        seen.add((method, template))
    assert seen == {(m, p) for p, ops in spec["paths"].items() for m in ops}


def test_an_undeclared_field_is_caught(client: TestClient, spec: dict) -> None:
    """The strict check above fails on a field no model names (it tests something)."""
    components = _strict(spec)
    body = client.get("/api/health").json()
    schema = {"$ref": "#/components/schemas/Health", "components": components}
    assert not list(Draft202012Validator(schema).iter_errors(body))
    assert list(Draft202012Validator(schema).iter_errors({**body, "surprise": 1}))
