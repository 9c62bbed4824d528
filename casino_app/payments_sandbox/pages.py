"""The hosted pages the player is sent to: a card form, a bank's approval, an e-wallet's approval.

Plain HTML on the sandbox's own origin, no script: the card number is typed here and never
reaches Kasyno Lotto, which only gets a token, the brand, the last four digits and the expiry.
"""

from __future__ import annotations

from html import escape

from casino_app.payments_sandbox.store import Transaction

CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'"
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}"
    "label{display:block;margin:.6rem 0 .2rem}input{width:100%;padding:.5rem;font-size:1rem}"
    "button{margin-top:1rem;padding:.6rem 1rem;font-size:1rem}.muted{color:#666;font-size:.85rem}"
    ".error{color:#b00020}"
)


def _money(tx: Transaction) -> str:
    return f"{tx.amount_minor // 100}.{tx.amount_minor % 100:02d} {escape(tx.currency)}"


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>{body}"
        "<p class='muted'>Sandbox payment service: test money only.</p></body></html>"
    )


def card_form(tx: Transaction, error: str = "") -> str:
    err = f"<p class='error' id='card-error'>{escape(error)}</p>" if error else ""
    return _page(
        "Pay by card",
        f"<p>Pay <strong id='amount'>{_money(tx)}</strong> to Kasyno Lotto.</p>{err}"
        f"<form method='post' action='/pay/{escape(tx.id)}' autocomplete='off'>"
        "<label for='number'>Card number</label>"
        "<input id='number' name='number' inputmode='numeric' autocomplete='cc-number' required>"
        "<label for='exp'>Expiry (MM/YY)</label>"
        "<input id='exp' name='exp' placeholder='12/30' autocomplete='cc-exp' required>"
        "<label for='cvc'>CVC</label><input id='cvc' name='cvc' inputmode='numeric' required>"
        "<label for='name'>Name on card</label><input id='name' name='name' autocomplete='cc-name'>"
        "<button id='pay' type='submit'>Pay</button></form>"
        f"<form method='post' action='/pay/{escape(tx.id)}'>"
        "<input type='hidden' name='action' value='cancel'>"
        "<button id='cancel' type='submit'>Cancel</button></form>",
    )


def approval(tx: Transaction, kind: str) -> str:
    """The bank's or the e-wallet's page: the player approves or cancels."""
    title = "Sandbox Bank: instant transfer" if kind == "bank" else "SandboxPay e-wallet"
    return _page(
        title,
        f"<p>Send <strong id='amount'>{_money(tx)}</strong> to Kasyno Lotto?</p>"
        f"<form method='post' action='/{kind}/{escape(tx.id)}'>"
        "<button id='approve' name='action' value='approve' type='submit'>Approve</button> "
        "<button id='cancel' name='action' value='cancel' type='submit'>Cancel</button></form>",
    )


def finished(tx: Transaction) -> str:
    return _page("Payment " + tx.status, f"<p id='status'>{escape(tx.status)}</p>")


def finished_missing() -> str:
    return _page("Unknown payment", "<p>This payment link is not valid.</p>")
