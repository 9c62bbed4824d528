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
    """A draw (or round) no longer sells; `next_draw_id` names the one that does, when known."""

    code = "draw_closed"

    def __init__(self, message: str, next_draw_id: int | None = None) -> None:
        super().__init__(message)
        self.next_draw_id = next_draw_id


class IdempotencyConflict(DomainError):
    code = "idempotency_conflict"


class PaymentDeclined(DomainError):
    code = "payment_declined"


class TamperedData(DomainError):
    """Encrypted data failed authentication: edited, truncated or bound to another record."""

    code = "tampered_data"


class KeyUnavailable(DomainError):
    """A key version is unknown or retired, so data under it cannot be read."""

    code = "key_unavailable"


# --- identity: accounts, login, second factor, sessions and tokens ---------------------------


class TermsNotAccepted(InvalidInput):
    code = "terms_not_accepted"


class InvalidCode(InvalidInput):
    """A wrong, expired or already used one-time code (TOTP or recovery code)."""

    code = "invalid_code"


class TooManyAttempts(DomainError):
    """Throttled: try again after `retry_after` seconds (exponential backoff)."""

    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AccountLocked(DomainError):
    """Too many failed logins; unlock by email re-verification, a TOTP code, or waiting (operators)."""

    code = "account_locked"


class SecondFactorRequired(DomainError):
    """The password was right; a TOTP or recovery code completes the login."""

    code = "mfa_required"


class StepUpRequired(DomainError):
    """A sensitive action needs a second-factor code from the last few minutes."""

    code = "step_up_required"


class EmailNotVerified(DomainError):
    """The account's email address was never confirmed (needed before the first withdrawal)."""

    code = "email_not_verified"


class InvalidToken(DomainError):
    """An email link, refresh or access token that is unknown, expired, used or revoked."""

    code = "invalid_token"


class SessionExpired(DomainError):
    code = "session_expired"


class KeyStillInUse(DomainError):
    """A key version cannot be retired while records are still wrapped with it."""

    code = "key_in_use"


class RoundClosed(DrawClosed):
    """A bet on a round that no longer takes bets (a closed lotto draw, a finished instant round)."""

    code = "round_closed"


class BetAlreadySettled(DomainError):
    code = "bet_settled"


class InvalidTransition(DomainError):
    """A status change the vocabulary does not allow (settling a voided bet, paying a rejected withdrawal)."""

    code = "invalid_transition"


class LimitExceeded(DomainError):
    code = "limit_exceeded"


# --- instant games and provably fair seed pairs ---------------------------------------------


class InvalidClientSeed(InvalidInput):
    """A client seed that is empty, over 64 characters, or has control characters."""

    code = "invalid_client_seed"


class SpinTooSoon(DomainError):
    """A slot spin sooner than the minimum interval after the previous one (RTS 14E)."""

    code = "spin_too_soon"

    def __init__(self, message: str, retry_after_ms: int = 0) -> None:
        super().__init__(message)
        self.retry_after_ms = retry_after_ms


class RoundInProgress(DomainError):
    """An unfinished round blocks this (a seed rotation, a new round of the same game)."""

    code = "round_in_progress"


class SeedChanged(DomainError):
    """The bet named a seed commitment that is no longer the player's active one."""

    code = "seed_changed"


class RulesChanged(DomainError):
    """The game has a new version since its rules were shown: show them again before the stake."""

    code = "rules_changed"


# --- responsible gaming: blocks, reality checks (domain/compliance) --------------------------


class PlayBlocked(DomainError):
    """Gambling is refused for now: a time-out, an exclusion or a session limit (RG)."""

    code = "play_blocked"


class TimedOut(PlayBlocked):
    """The player took a time-out (24 h to 30 days): no sign-in, bets or deposits until it ends."""

    code = "timed_out"


class SelfExcluded(PlayBlocked):
    """A self-exclusion (6 months to permanent) or one imposed by the safer gambling team."""

    code = "self_excluded"


class SessionLimitReached(PlayBlocked):
    """The player's session time limit is used up: play again after the break."""

    code = "session_limit_reached"


class RealityCheckDue(DomainError):
    """Play waits until the player acknowledges the time played and the net result."""

    code = "reality_check_due"
