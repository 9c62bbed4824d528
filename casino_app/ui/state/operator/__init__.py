"""The back office: dashboard, draws, people, reconciliation, RG cases, RNG reports, withdrawals."""
