"""Deposits: start, attempts and failover, the state machine, webhooks, polling, cards, cashier."""
