"""Request and response bodies: strict (extra fields refused) and size-limited at the edge."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from casino_app.domain.identity.rules import MAX_EMAIL, MAX_FULL_NAME, MAX_PASSWORD


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=512)


class LoginRequest(Strict):
    email: str = Field(min_length=1, max_length=MAX_EMAIL)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD)
    code: str = Field(default="", max_length=16, description="TOTP or recovery code, when 2FA is on")


class RegisterRequest(Strict):
    email: str = Field(min_length=1, max_length=MAX_EMAIL)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD)
    full_name: str = Field(min_length=1, max_length=MAX_FULL_NAME)
    birth_date: date
    country: str = Field(min_length=2, max_length=2)
    phone: str = Field(default="", max_length=32)
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    terms_version: str = Field(max_length=16)
    privacy_version: str = Field(max_length=16)


class RefreshRequest(Strict):
    refresh_token: str = Field(min_length=1, max_length=128)


class PasswordResetRequest(Strict):
    email: str = Field(min_length=1, max_length=MAX_EMAIL)


class StepUpRequest(Strict):
    code: str = Field(default="", max_length=16)
    password: str = Field(default="", max_length=MAX_PASSWORD)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_expires_in: int


class MeResponse(BaseModel):
    id: int
    email: str
    full_name: str
    country: str
    email_verified: bool
    mfa_enabled: bool
    previous_login_at: datetime | None
    previous_login_ip: str


class SessionResponse(BaseModel):
    id: int
    kind: str
    ip: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


# Bets: lotto tickets for mobile clients (POST/GET /api/v1/bets).

LineNumber = Annotated[int, Field(ge=-1000, le=1000)]
QUICK_PICK = "quick_pick"


class BetRequest(Strict):
    game: str = Field(min_length=1, max_length=32, description="The game's code, e.g. lotto649")
    draw: int | None = Field(
        default=None,
        ge=1,
        le=2**63 - 1,
        description="The id of the draw the player was shown; absent: the draw selling now",
    )
    draws: int = Field(
        default=1, ge=1, le=64, description="How many draws the same lines play, from `draw` on"
    )
    lines: list[list[LineNumber] | Literal["quick_pick"]] = Field(
        min_length=1,
        max_length=64,
        description='The lines: numbers, or "quick_pick" for a line left to chance',
    )
    stake: str = Field(
        pattern=r"^[0-9]{1,9}(\.[0-9]{1,2})?$",
        max_length=12,
        description="One draw's stake for all the lines, in the game's currency (e.g. \"2.00\")",
    )


class MoneyOut(BaseModel):
    amount: str
    currency: str


class BetDrawOut(BaseModel):
    bet_id: str = Field(description="This draw's own bet (its validation number)")
    draw_id: int
    draw_code: str
    draw_at: datetime
    sales_close_at: datetime
    draw_status: str
    status: str
    numbers: list[int] = Field(description="The draw's numbers once drawn")
    stake: MoneyOut
    win: MoneyOut


class ReceiptOut(BaseModel):
    validation_number: str
    game: str
    game_name: str
    lines: list[list[int]]
    stake_per_draw: MoneyOut
    total_stake: MoneyOut
    draws: list[BetDrawOut]
    issued_at: datetime


class BetResponse(BaseModel):
    id: str = Field(description="The ticket's id: the validation number of its first draw's bet")
    receipt_number: str = Field(description="The validation number printed on the receipt")
    receipt: ReceiptOut


class BetPage(BaseModel):
    items: list[BetResponse]
    total: int
    offset: int
    limit: int
