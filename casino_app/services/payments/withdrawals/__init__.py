"""Withdrawals: the hold, the approval, the payout through a provider, the operator's context."""
