"""The demo's test card tokens, at the path the seed and the test fixtures import them from.

The provider itself is `adapters/payments/demo.py`; the sandbox payment service over HTTP is
`adapters/payments/sandbox.py`.
"""

from casino_app.adapters.payments.demo import APPROVE_TOKEN, DECLINE_TOKEN

__all__ = ["APPROVE_TOKEN", "DECLINE_TOKEN"]
