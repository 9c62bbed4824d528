"""The httpx client every provider adapter shares.

- Explicit timeouts (connect, read, write, pool); never httpx's defaults.
- An Idempotency-Key on every call (the caller's attempt id, or a fresh one for a read).
- Retries with exponential backoff and full jitter, only where repeating cannot do a thing twice:
  reads (GET) on timeouts, refused connections and 5xx; writes only when the request never
  reached the provider (a refused connection) or it answered 5xx under an Idempotency-Key it
  honours. A write that timed out is not retried: its outcome is unknown, so the deposit flow
  fails over to the next provider and status polling settles the first attempt.
- Bodies are never logged (they may carry tokens).
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from casino_app.domain.payments.errors import ProviderTimeout, ProviderUnavailable

_JITTER = secrets.SystemRandom()


@dataclass(frozen=True)
class HttpPolicy:
    connect_timeout: float = 2.0
    read_timeout: float = 5.0
    retries: int = 2  # extra tries after the first, for the calls that may be retried
    backoff_seconds: float = 0.1  # the first retry waits up to this; each next one up to twice as long
    backoff_cap_seconds: float = 2.0

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.read_timeout, connect=self.connect_timeout, pool=self.connect_timeout)

    def backoff(self, retry: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**retry)]."""
        return _JITTER.uniform(0, min(self.backoff_cap_seconds, self.backoff_seconds * 2**retry))


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class ProviderHttp:
    """One provider's HTTP client (thread-safe; built lazily, after any fork)."""

    provider: str
    base_url: str
    headers: Mapping[str, str]
    policy: HttpPolicy = field(default_factory=HttpPolicy)
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    _client: httpx.Client | None = None

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                base_url=self.base_url,
                headers=dict(self.headers),
                timeout=self.policy.timeout(),
                transport=self.transport,
            )
        return self._client

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Answer:
        """A read: retried on timeouts, refused connections and 5xx."""
        key = f"read-{uuid.uuid4().hex}"
        return self._send("GET", path, key, params=params, retry_timeouts=True)

    def post(
        self, path: str, body: Mapping[str, Any], idempotency_key: str, extra: Mapping[str, str] | None = None
    ) -> Answer:
        """A write under `idempotency_key`: retried on 5xx and refused connections, not on timeouts."""
        return self._send("POST", path, idempotency_key, json=dict(body), extra=extra, retry_timeouts=False)

    def _send(
        self,
        method: str,
        path: str,
        key: str,
        *,
        retry_timeouts: bool,
        extra: Mapping[str, str] | None = None,
        **kw: Any,
    ) -> Answer:
        headers = {"Idempotency-Key": key, **(extra or {})}
        for retry in range(self.policy.retries + 1):
            last = retry == self.policy.retries
            try:
                response = self.client().request(method, path, headers=headers, **kw)
            except httpx.TimeoutException as err:
                if (isinstance(err, httpx.ConnectTimeout) or retry_timeouts) and not last:
                    self.sleep(self.policy.backoff(retry))
                    continue
                raise ProviderTimeout(f"{self.provider} did not answer in time.") from None
            except httpx.TransportError:
                if not last:
                    self.sleep(self.policy.backoff(retry))
                    continue
                raise ProviderUnavailable(f"{self.provider} cannot be reached.") from None
            if response.status_code >= 500 and not last:
                self.sleep(self.policy.backoff(retry))
                continue
            return _answer(self.provider, response)
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _answer(provider: str, response: httpx.Response) -> Answer:
    if response.status_code >= 500:
        raise ProviderUnavailable(f"{provider} answered {response.status_code}.")
    try:
        body = response.json() if response.content else {}
    except ValueError:
        raise ProviderUnavailable(f"{provider} answered something that is not JSON.") from None
    if not isinstance(body, dict):
        raise ProviderUnavailable(f"{provider} answered an unexpected body.")
    return Answer(response.status_code, body, dict(response.headers))
