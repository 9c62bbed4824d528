"""The pure parts of the payment facade: routing, webhook signatures, the provider HTTP client's
timeouts, retries and Idempotency-Keys (against httpx's mock transport), the sandbox's faults."""

from __future__ import annotations

import itertools
from dataclasses import replace

import httpx
import pytest

from casino_app.adapters.payments.demo import DemoCardProvider
from casino_app.adapters.payments.http import HttpPolicy, ProviderHttp
from casino_app.adapters.payments.sandbox import SandboxProvider
from casino_app.bootstrap import default_payment_providers
from casino_app.config import Settings, load_payment_settings
from casino_app.domain.payments import signatures
from casino_app.domain.payments.errors import (
    HardDecline,
    InvalidSignature,
    ProviderTimeout,
    ProviderUnavailable,
    SoftDecline,
)
from casino_app.domain.payments.ports import Capabilities, DepositRequest, PaymentProviders
from casino_app.domain.payments.routing import PaymentRouter, Route
from casino_app.domain.payments.vocabulary import PaymentMethodKind
from casino_app.payments_sandbox.chaos import Chaos
from casino_app.payments_sandbox.config import SandboxConfig
from casino_app.payments_sandbox.webhooks import planned

CARD, BANK, EWALLET = PaymentMethodKind.CARD, PaymentMethodKind.BANK_TRANSFER, PaymentMethodKind.EWALLET


def test_the_router_takes_the_first_matching_route_with_its_ordered_fallbacks() -> None:
    router = PaymentRouter(
        (
            Route(CARD, ("local", "global"), countries=frozenset({"PL"})),
            Route(CARD, ("global", "local")),
            Route(BANK, ("local",), currencies=frozenset({"PLN"})),
        )
    )
    assert router.providers_for(CARD, "PLN", "pl") == ("local", "global")
    assert router.providers_for(CARD, "EUR", "DE") == ("global", "local")
    assert router.providers_for(BANK, "PLN", "PL") == ("local",)
    assert router.providers_for(BANK, "EUR", "PL") == ()
    assert router.providers_for(EWALLET, "EUR", "PL") == ()


def test_candidates_skip_providers_that_do_not_serve_the_currency_or_country() -> None:
    eur_only = SandboxProvider(
        "http://x", "k", "s", name="eur", capabilities=Capabilities(frozenset({CARD}), frozenset({"EUR"}))
    )
    anywhere = SandboxProvider("http://y", "k", "s", name="any")
    providers = PaymentProviders(
        {"eur": eur_only, "any": anywhere}, "any", PaymentRouter((Route(CARD, ("eur", "missing", "any")),))
    )
    assert [p.name for p in providers.candidates(CARD, "EUR", "DE")] == ["eur", "any"]
    assert [p.name for p in providers.candidates(CARD, "PLN", "PL")] == ["any"]
    assert providers.methods_for("PLN", "PL") == (CARD,)


def test_a_signature_verifies_in_its_window_and_fails_outside_it_or_on_any_change() -> None:
    body, ts = b'{"id":"evt_1"}', 1_700_000_000
    header = signatures.signature_header("whsec", ts, body)
    assert signatures.verify("whsec", header, body, ts + 299) == ts
    assert signatures.verify("whsec", f"{header},v1=deadbeef", body, ts) == ts
    rotated = f"t={ts},v1=deadbeef,v1={signatures.signature('whsec', ts, body)}"
    assert signatures.verify("whsec", rotated, body, ts) == ts
    for bad_header, bad_body, at in [
        (header, body, ts + 301),
        (header, body, ts - 301),
        (header, body + b" ", ts),
        (header.replace(f"t={ts}", f"t={ts + 1}"), body, ts),
        ("", body, ts),
        (f"t={ts}", body, ts),
    ]:
        with pytest.raises(InvalidSignature):
            signatures.verify("whsec", bad_header, bad_body, at)
    with pytest.raises(InvalidSignature):
        signatures.verify("", header, body, ts)


def _client(handler: httpx.MockTransport, retries: int = 2) -> ProviderHttp:
    policy = HttpPolicy(connect_timeout=0.5, read_timeout=0.5, retries=retries, backoff_seconds=0.001)
    return ProviderHttp("p", "http://provider.test", {}, policy, handler, sleep=lambda _: None)


def test_reads_are_retried_on_5xx_and_timeouts_with_fresh_calls_until_one_answers() -> None:
    seen: list[httpx.Request] = []
    answers = iter([503, "timeout", 200])

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = next(answers)
        if answer == "timeout":
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(int(answer), json={"ok": True})

    assert _client(httpx.MockTransport(handle)).get("/v1/attempts/a").body == {"ok": True}
    assert len(seen) == 3 and all(r.headers["Idempotency-Key"] for r in seen)


def test_a_write_is_retried_on_5xx_under_the_same_idempotency_key_but_never_after_a_timeout() -> None:
    keys: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        return httpx.Response(503 if len(keys) < 3 else 200, json={"id": "x"})

    assert _client(httpx.MockTransport(flaky)).post("/v1/deposits", {}, "order:1").status == 200
    assert keys == ["order:1"] * 3

    calls = itertools.count()

    def slow(request: httpx.Request) -> httpx.Response:
        next(calls)
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(ProviderTimeout):
        _client(httpx.MockTransport(slow)).post("/v1/deposits", {}, "order:2")
    assert next(calls) == 1  # one call only: its outcome is unknown, so it is not repeated


def test_a_write_that_never_connected_is_retried_and_persistent_5xx_is_unavailable() -> None:
    tries = itertools.count()

    def refused(request: httpx.Request) -> httpx.Response:
        next(tries)
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ProviderUnavailable):
        _client(httpx.MockTransport(refused)).post("/v1/deposits", {}, "order:3")
    assert next(tries) == 3
    with pytest.raises(ProviderUnavailable):
        _client(httpx.MockTransport(lambda r: httpx.Response(500))).get("/v1/transactions")


def test_the_backoff_grows_exponentially_with_full_jitter_and_a_cap() -> None:
    policy = HttpPolicy(backoff_seconds=0.1, backoff_cap_seconds=0.5)
    for retry, ceiling in [(0, 0.1), (1, 0.2), (2, 0.4), (3, 0.5), (8, 0.5)]:
        waits = [policy.backoff(retry) for _ in range(200)]
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling * 0.7 and min(waits) < ceiling * 0.3  # spread over the range


def _declining(kind: str) -> httpx.MockTransport:
    body = {"error": {"type": "card_declined", "decline": kind, "message": f"{kind} no"}}
    return httpx.MockTransport(lambda r: httpx.Response(402, json=body))


def test_the_sandbox_adapter_maps_declines_to_soft_and_hard_errors() -> None:
    request = DepositRequest("o", "o:1", 10_00, "EUR", CARD, "PL", "kl-1", "http://localhost/wallet")
    for kind, error in [("soft", SoftDecline), ("hard", HardDecline)]:
        provider = SandboxProvider("http://sandbox.test", "k", "s", transport=_declining(kind))
        with pytest.raises(error, match=f"{kind} no"):
            provider.create_deposit(request)


def test_the_demo_cards_approve_and_decline_in_process() -> None:
    demo = DemoCardProvider()
    (approve, _), (decline, _) = demo.test_cards()
    base = DepositRequest("o", "o:1", 10_00, "EUR", CARD, "", "kl-1", "")
    assert demo.create_deposit(replace(base, card_token=approve.token)).status == "succeeded"
    assert demo.status("o:1").status == "succeeded"
    with pytest.raises(HardDecline):
        demo.create_deposit(replace(base, attempt_id="o:2", card_token=decline.token))


def test_the_sandbox_plans_lost_reordered_and_duplicated_webhooks() -> None:
    events = [{"id": "a", "sequence": 1}, {"id": "b", "sequence": 2}]
    assert planned(events, frozenset()) == events
    assert planned(events, frozenset({"lost_webhook", "duplicate_webhook"})) == []
    assert [e["id"] for e in planned(events, frozenset({"out_of_order"}))] == ["b", "a"]
    assert [e["id"] for e in planned(events, frozenset({"duplicate_webhook", "out_of_order"}))] == [
        "b",
        "b",
        "a",
        "a",
    ]


def test_faults_by_rate_hit_about_that_share_of_requests_reproducibly() -> None:
    config = SandboxConfig(fault_rate=0.3, seed="s1")
    first = Chaos(config)
    picks = [first.for_request("", creates=True) for _ in range(2000)]
    again = Chaos(config)
    assert picks == [again.for_request("", creates=True) for _ in range(2000)]
    share = sum(1 for p in picks if p) / len(picks)
    assert 0.25 < share < 0.35
    reads = Chaos(config)
    assert all(f <= {"timeout", "5xx"} for f in (reads.for_request("", creates=False) for _ in range(500)))
    assert Chaos(SandboxConfig()).for_request("timeout,bogus", creates=True) == {"timeout"}


def test_the_sandbox_listens_on_the_apps_port_plus_ten_unless_told() -> None:
    assert load_payment_settings({"PORT": "8000"}).sandbox_url == "http://127.0.0.1:8010"
    assert load_payment_settings({"PORT": "8000", "CASINO_SANDBOX_PORT": "9999"}).sandbox_url.endswith(
        ":9999"
    )
    told = load_payment_settings(
        {"CASINO_SANDBOX_URL": "https://psp.example", "CASINO_PAYMENT_READ_TIMEOUT": "2.5"}
    )
    assert (told.sandbox_url, told.read_timeout) == ("https://psp.example", 2.5)


def test_the_wiring_routes_every_method_to_the_sandbox_and_offers_demo_cards_only_in_demo_mode() -> None:
    live = default_payment_providers(Settings(demo_mode=False))
    assert set(live.by_name) == {"sandbox"} and live.default == "sandbox"
    assert live.methods_for("EUR", "PL") == (CARD, BANK, EWALLET)
    assert [p.name for p in live.candidates(BANK, "PLN", "PL")] == ["sandbox"]
    demo = default_payment_providers(Settings(demo_mode=True))
    assert set(demo.by_name) == {"sandbox", "demo"} and demo.default == "demo"
    assert "demo" not in demo.router.provider_names()  # offered as cards on file, never routed
