"""The sandbox payment service: a small payment provider in its own process, over HTTP.

It imports nothing of the app (no services, no database): Kasyno Lotto reaches it only through
`adapters/payments/sandbox.py`, as it would a real provider. `python -m casino_app.payments_sandbox`
serves it (`make run` starts it on PORT+10); docs/PAYMENTS.md describes its API.

config.py    SandboxConfig (flags and their environment variables)
cards.py     test card numbers and what they do, Luhn, brands
chaos.py     faults asked for per request (header or field) or by rate
store.py     transactions, card tokens and idempotent answers, in memory
webhooks.py  signed webhooks ("{timestamp}.{body}" HMAC-SHA256), with duplicates, delays, losses
pages.py     the hosted pages: card form, bank approval, e-wallet approval
app.py       the ASGI app (Starlette)
"""
