"""Request and response bodies: strict (extra fields refused) and size-limited at the edge."""

from __future__ import annotations

from datetime import date, datetime

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
