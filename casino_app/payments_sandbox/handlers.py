"""The sandbox's handlers: deposits, payouts, refunds, status and listing; the hosted pages."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from casino_app.payments_sandbox import pages
from casino_app.payments_sandbox.cards import Card, brand_of, luhn_ok, names_match
from casino_app.payments_sandbox.problems import MAX_BODY, Problem, field_of
from casino_app.payments_sandbox.store import Store, Transaction

if TYPE_CHECKING:
    from casino_app.payments_sandbox.app import Sandbox

PAGE_OF_METHOD = {"card": "pay", "bank_transfer": "bank", "ewallet": "wallet"}
_TASKS: set[asyncio.Task[None]] = set()


def html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        body, status, headers={"Content-Security-Policy": pages.CSP, "Cache-Control": "no-store"}
    )


class ApiHandlers:
    def __init__(self, box: Sandbox) -> None:
        self.box = box

    async def create_deposit(
        self, _: Request, data: dict[str, Any], faults: frozenset[str]
    ) -> dict[str, Any]:
        box = self.box
        tx = box.new_transaction(data, "deposit", faults)
        if tx.method not in box.config.allowed:
            raise Problem(400, "invalid_request", f"Unknown method {tx.method!r}.")
        token = field_of(data, "card_token", str, False)
        if token:
            card = box.store.cards.get(token)
            if card is None:
                raise Problem(400, "invalid_request", "Unknown card token.")
            tx.card_token = token
            box.store.add(tx)
            box.decide(tx, *card.behaviour)
            return box.answer(tx)
        if not tx.return_url.startswith(("http://", "https://")):
            raise Problem(400, "invalid_request", "A hosted deposit needs an http(s) `return_url`.")
        if faults & {"soft_decline", "hard_decline"}:  # the provider's risk rules refuse it up front
            box.store.add(tx)
            box.decide(tx, "approve", "")
            return box.answer(tx)
        box.store.add(tx)
        return box.answer(tx, redirect_url=f"{box.config.base_url}/{PAGE_OF_METHOD[tx.method]}/{tx.id}")

    async def create_payout(self, _: Request, data: dict[str, Any], faults: frozenset[str]) -> dict[str, Any]:
        box = self.box
        tx = box.store.add(box.new_transaction(data, "payout", faults))
        if tx.destination.endswith("0002") or faults & {"hard_decline", "soft_decline"}:
            box.decide(tx, "hard_decline", "The destination account refused the payout.")
            return box.answer(tx)
        task = asyncio.get_running_loop().create_task(self._settle_payout(tx))
        _TASKS.add(task)
        task.add_done_callback(_TASKS.discard)
        return box.answer(tx)

    async def _settle_payout(self, tx: Transaction) -> None:
        await asyncio.sleep(self.box.config.payout_seconds)
        self.box.decide(tx, "approve", "")

    async def create_refund(self, _: Request, data: dict[str, Any], faults: frozenset[str]) -> dict[str, Any]:
        box = self.box
        original = box.store.transactions.get(field_of(data, "provider_reference", str))
        if original is None or original.status != "succeeded" or original.direction != "deposit":
            raise Problem(400, "invalid_request", "Only a succeeded deposit can be refunded.")
        tx = box.new_transaction(data, "refund", frozenset())
        if tx.amount_minor > original.amount_minor or tx.currency != original.currency:
            raise Problem(400, "invalid_request", "A refund cannot exceed its deposit.")
        tx.order_id = original.order_id
        box.store.add(tx)
        box.decide(tx, "approve", "")
        return box.answer(tx)

    async def attempt(self, request: Request, _: dict[str, Any], __: frozenset[str]) -> dict[str, Any]:
        tx = self.box.store.by_attempt_id(request.path_params["attempt_id"])
        if tx is None:
            raise Problem(404, "not_found", "No such attempt.")
        return tx.public(self.box.store.card_of(tx))

    async def transactions(self, request: Request, _: dict[str, Any], __: frozenset[str]) -> dict[str, Any]:
        try:
            since = float(request.query_params.get("since", "0"))
            until = float(request.query_params.get("until", "1e12"))
        except ValueError:
            raise Problem(400, "invalid_request", "`since` and `until` are unix times.") from None
        store = self.box.store
        return {"data": [t.public(store.card_of(t)) for t in store.in_window(since, until)]}

    async def reset(self, _: Request, __: dict[str, Any], ___: frozenset[str]) -> dict[str, Any]:
        await self.box.sender.drain()
        self.box.store.reset()
        return {"ok": True}

    async def webhooks(self, _: Request, __: dict[str, Any], ___: frozenset[str]) -> dict[str, Any]:
        await self.box.sender.drain()
        return {"data": list(self.box.store.sent)}


def back_to_merchant(tx: Transaction) -> Response:
    """303 to the merchant's return URL with the order and its result."""
    parts = urlsplit(tx.return_url)
    query = "&".join(q for q in (parts.query, urlencode({"order": tx.order_id, "result": tx.status})) if q)
    return RedirectResponse(urlunsplit(parts._replace(query=query)), status_code=303)


async def _form(request: Request) -> dict[str, str]:
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
        raise Problem(413, "invalid_request", "Body too large.")
    form = await request.form()
    return {k: str(v)[:128] for k, v in form.items()}


def _expiry(raw: str) -> tuple[int, int] | None:
    month, _, year = raw.strip().partition("/")
    if not (month.isdigit() and year.isdigit() and 1 <= int(month) <= 12 and len(year) in (2, 4)):
        return None
    return int(month), int(year) + (2000 if len(year) == 2 else 0)


def page_routes(box: Sandbox) -> list[Route]:
    def pending(request: Request, method: str) -> Transaction | Response:
        tx = box.store.transactions.get(request.path_params["tx"])
        if tx is None or tx.direction != "deposit" or tx.method != method:
            return html(pages.finished_missing(), 404)
        if tx.status != "pending":
            return html(pages.finished(tx))
        return tx

    async def card_page(request: Request) -> Response:
        tx = pending(request, "card")
        if not isinstance(tx, Transaction):
            return tx
        if request.method == "GET":
            return html(pages.card_form(tx))
        form = await _form(request)
        if form.get("action") == "cancel":
            box.decide(tx, "hard_decline", "Cancelled by the payer.")
            return back_to_merchant(tx)
        number = "".join(form.get("number", "").split())
        expiry = _expiry(form.get("exp", ""))
        cvc = form.get("cvc", "")
        if not luhn_ok(number) or expiry is None or not (cvc.isdigit() and len(cvc) in (3, 4)):
            return html(pages.card_form(tx, "Check the card number, expiry and CVC."), 422)
        card = Card(
            Store.new_id("tok"),
            number,
            brand_of(number),
            expiry[0],
            expiry[1],
            form.get("name", ""),
            names_match(form.get("name", ""), tx.customer_name),
        )
        box.store.cards[card.token] = card
        tx.card_token = card.token
        box.decide(tx, *card.behaviour)
        return back_to_merchant(tx)

    def approval_page(kind: str, method: str) -> Any:
        async def page(request: Request) -> Response:
            tx = pending(request, method)
            if not isinstance(tx, Transaction):
                return tx
            if request.method == "GET":
                return html(pages.approval(tx, kind))
            if (await _form(request)).get("action") == "approve":
                box.decide(tx, "approve", "")
            else:
                box.decide(tx, "hard_decline", "Cancelled by the payer.")
            return back_to_merchant(tx)

        return page

    both = ["GET", "POST"]
    return [
        Route("/pay/{tx}", card_page, methods=both),
        Route("/bank/{tx}", approval_page("bank", "bank_transfer"), methods=both),
        Route("/wallet/{tx}", approval_page("wallet", "ewallet"), methods=both),
    ]
