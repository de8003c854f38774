"""schemathesis against the OpenAPI spec: generated requests never get a 5xx.

Each API operation gets a bounded number of generated requests (CI stays fast); deadlines
are off because a request opens a store, and timing is not what this test checks. Error
answers must also have the one JSON error shape.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from wiretrace.server.app import ServerSettings, create_app
from wiretrace.server.guard import GuardLimits

pytestmark = pytest.mark.slow

# Generated examples per API operation: enough to hit the edge cases of each parameter.
MAX_EXAMPLES = 30
OPERATIONS = (
    "GET /api/health",
    "GET /api/stories",
    "GET /api/stories/{story_id}",
    "GET /api/compare",
    "GET /api/documents",
    "GET /api/documents/{doc_id}",
    "GET /api/pairs",
    "GET /api/sources",
    "GET /api/sources/{name}",
    "POST /api/trace",
)

UNCONSTRAINED = {"GET /api/health", "GET /api/stories/{story_id}"}


@pytest.fixture(scope="module")
def api_schema(analyzed_examples: Path) -> object:
    # No rate limit here: schemathesis sends requests as fast as it can, and names the
    # host ``testserver`` (allowed here only).
    limits = GuardLimits(rate_per_s=1e6, burst=10**6)
    settings = ServerSettings(limits=limits, allowed_hosts=("testserver",))
    app = create_app(analyzed_examples, settings)
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


def test_spec_has_every_api_operation(api_schema: object) -> None:
    labels = {result.ok().label for result in api_schema.get_all_operations()}  # type: ignore[attr-defined]
    assert labels == set(OPERATIONS)


@pytest.mark.parametrize(
    ("label", "mode"),
    [
        (label, mode)
        for label in OPERATIONS
        for mode in GenerationMode
        # An operation without constrained parameters has no request that breaks its spec.
        if mode == GenerationMode.POSITIVE or label not in UNCONSTRAINED
    ],
)
def test_api_never_answers_5xx(api_schema: object, label: str, mode: GenerationMode) -> None:
    """Valid requests (positive) and requests that break the spec (negative) alike."""
    operation = api_schema.find_operation_by_label(label)  # type: ignore[attr-defined]

    @given(data=st.data())
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        response = case.call()
        assert response.status_code < 500, (case.method, case.path, response.text[:300])
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"error"}
            assert set(body["error"]) == {"status", "title", "detail"}

    run()
