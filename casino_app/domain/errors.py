"""Typed domain errors; each has a stable `code` for the API and a message for people."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every rule violation a caller can show to a person."""

    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    code = "invalid_input"


class InvalidAmount(InvalidInput):
    code = "invalid_amount"


class CurrencyMismatch(InvalidInput):
    code = "currency_mismatch"


class InvalidSelection(InvalidInput):
    code = "invalid_selection"


class InvalidEmail(InvalidInput):
    code = "invalid_email"


class WeakPassword(InvalidInput):
    code = "weak_password"


class Underage(InvalidInput):
    code = "underage"


class EmailTaken(DomainError):
    code = "email_taken"


class InvalidCredentials(DomainError):
    code = "invalid_credentials"


class PermissionDenied(DomainError):
    code = "permission_denied"


class NotFound(DomainError):
    code = "not_found"


class InsufficientFunds(DomainError):
    code = "insufficient_funds"


class DrawClosed(DomainError):
    code = "draw_closed"


class IdempotencyConflict(DomainError):
    code = "idempotency_conflict"


class PaymentDeclined(DomainError):
    code = "payment_declined"
