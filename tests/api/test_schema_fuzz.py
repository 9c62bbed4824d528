"""The API fuzzed from its own OpenAPI schema (schemathesis, in-process ASGI), as CI runs it.

Every operation gets schema-valid and schema-violating requests, anonymous and with a live
player token: no answer is a server error, and every status and media type it answers with is
declared in the schema. Examples are bounded so the run stays well under a minute.
"""

from __future__ import annotations

import collections
from datetime import datetime

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from casino_app.api.app import create_api
from casino_app.api.security import security_middleware
from casino_app.bootstrap import Wiring
from casino_app.services.identity.accounts import registration
from casino_app.services.identity.sessions import signin
from tests.support import PASSWORD
from tests.support import registration as player_form

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 60  # per operation, per mode and caller: about 2,500 requests in all


def _player_token(wiring: Wiring, now: datetime) -> str:
    registration.register_player(wiring.uow(), player_form("fuzz@example.com"), now)
    proof = signin.verify_password(wiring.uow(), "fuzz@example.com", PASSWORD, now)
    return signin.sign_in_api(wiring.uow(), proof, now).access_token


def _fuzz(schema, headers: dict[str, str], mode: GenerationMode) -> collections.Counter[str]:
    failures: collections.Counter[str] = collections.Counter()
    for result in schema.get_all_operations():
        _fuzz_operation(result.ok(), headers, mode, failures)
    return failures


def _fuzz_operation(
    operation, headers: dict[str, str], mode: GenerationMode, failures: collections.Counter[str]
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as err:  # collected, not raised: no shrinking, every kind reported
            lines = (line.strip() for line in str(err).splitlines())
            first = next((line for line in lines if line.startswith("-")), "")
            failures[f"{operation.label}: {first or type(err).__name__}"] += 1

    try:
        call()
    except Unsatisfiable:  # nothing to break: an operation without parameters or a body
        assert mode == GenerationMode.NEGATIVE


def test_the_schema_fuzz_finds_no_server_error_and_no_undocumented_answer(
    wiring: Wiring, now: datetime
) -> None:
    api: FastAPI = create_api(wiring)
    app = security_middleware(api, settings=wiring.settings)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    bearer = {"Authorization": f"Bearer {_player_token(wiring, now)}"}
    failures: collections.Counter[str] = collections.Counter()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for headers in ({}, bearer):
            failures += _fuzz(schema, headers, mode)
    assert dict(failures) == {}
