"""Payment provider adapters, each implementing `domain/payments/ports.PaymentProvider`.

http.py     the shared httpx client: explicit timeouts, an Idempotency-Key on every call,
            retries with exponential backoff and full jitter for idempotent calls only
sandbox.py  our sandbox payment service (`casino_app/payments_sandbox`) over HTTP
demo.py     the demo's in-process test cards (registered only in demo mode)
stripe.py   the Stripe-compatible card provider
"""
