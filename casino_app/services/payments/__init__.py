"""Payments through the provider facade, grouped by capability.

deposits/          deposits (a provider's page or a card on file), the payment row and its
                   provider attempts with failover, the deposit state machine (states.py) that
                   webhooks, status polling and direct answers apply alike, cards on file, the
                   cashier's view
withdrawals/       two-phase holds: request, approval (approvals.py), payout through a provider
                   (payouts.py), and what the finance operator sees first (context.py)
reconciliation.py  each provider's transactions against the ledger, and the operators' queue
"""
