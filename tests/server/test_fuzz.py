"""schemathesis against the live server: whatever arrives, no 5xx and no answer off the schema.

Examples are bounded (the whole server suite must stay fast); both positive (schema-valid) and
negative (schema-breaking) requests are generated, with real tokens so the fuzzing gets past auth.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode

from server_stub.core.config import Settings
from server_stub.testing import LiveServer, SeededEvent, live_server
from tests.server.helpers import Door, page_session

MAX_EXAMPLES = {GenerationMode.POSITIVE: 300, GenerationMode.NEGATIVE: 300}
ORGANIZER_ONLY = ("/conflicts", "/stats", "/export.csv", "/annul")
PAGE = "/organizer"  # the organizers' page: a session cookie, not a bearer token


@pytest.fixture
def server(any_db_url: str) -> Iterator[LiveServer]:
    """Long-polls (`changes?wait=`) held a moment only: the cases are many, and nothing lands."""
    settings = Settings(
        any_db_url, enroll_per_minute=10**6, organizer_per_minute=10**6, changes_max_wait_s=0.05
    )
    with live_server(any_db_url, settings) as running:
        yield running


@pytest.fixture
def schema(server: LiveServer) -> Iterator[schemathesis.BaseSchema]:
    spec = httpx.get(server.url + "/openapi.json").json()
    # 410 (snapshot_required) is the contract's answer to a valid but stale cursor.
    # 303: the page's forms answer with a redirect; 429: its sign-in counts failed attempts.
    accepted = ["2xx", "303", "401", "403", "404", "409", "410", "429"]
    config = schemathesis.Config.from_dict(
        {"checks": {"positive_data_acceptance": {"expected-statuses": accepted}}}
    )
    yield schemathesis.openapi.from_dict(spec, config=config)


def _token(case: Case, device: Door, event: SeededEvent) -> str:
    organizer = case.operation.path.endswith(ORGANIZER_ONLY)
    return event.organizer_token if organizer else device.client.headers["Authorization"][7:]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_survives_generated_requests(
    schema: schemathesis.BaseSchema,
    server: LiveServer,
    device: Door,
    event: SeededEvent,
    mode: GenerationMode,
) -> None:
    strategies = []
    for result in schema.get_all_operations():
        operation = result.ok()
        strategies.append(operation.as_strategy(mode))
        if "{event_id}" in operation.path and mode.is_positive:
            # Half the cases aim at the device's own event, to get past the 403 into the logic.
            fixed = {"event_id": event.event_id}
            strategies.append(operation.as_strategy(mode, path_parameters=fixed))

    cookie = page_session(server, event.organizer_token)

    @settings(
        max_examples=MAX_EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,  # the same cases every run: CI failures reproduce
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(strategies))
    def run(case: Case) -> None:
        headers = {"Authorization": f"Bearer {_token(case, device, event)}"}
        if case.operation.path.startswith(PAGE):
            headers = {"Cookie": f"organizer_session={cookie}"}
            if case.operation.path.endswith("/stream"):
                case.query = {"wait": 0}  # the live stream ends at once
        case.call_and_validate(base_url=server.url, headers=headers)

    run()
