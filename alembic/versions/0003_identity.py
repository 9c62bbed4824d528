"""identity: account fields, sessions, tokens, TOTP, recovery codes, mail outbox, throttling

The plaintext `users.email` and `users.birth_date` become a blind index and sealed values;
existing rows are converted with the configured keyring (and back on downgrade).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import casino_app.persistence.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UtcDateTime = casino_app.persistence.types.UtcDateTime
String = sqlmodel.sql.sqltypes.AutoString


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, UtcDateTime(timezone=True), nullable=nullable)


def _create_tables() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", String(length=16), nullable=False),
        sa.Column("token_hash", String(length=64), nullable=True),
        sa.Column("ip", String(length=64), nullable=False),
        sa.Column("user_agent", String(length=255), nullable=False),
        _when("created_at", False),
        _when("last_seen_at", False),
        _when("expires_at", False),
        sa.Column("idle_seconds", sa.Integer(), nullable=False),
        _when("step_up_at"),
        _when("revoked_at"),
        sa.Column("revoked_reason", String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_user_sessions_user_id", "user_sessions", ["user_id"], unique=False)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("kind", String(length=16), nullable=False),
        sa.Column("token_hash", String(length=64), nullable=False),
        _when("created_at", False),
        _when("expires_at", False),
        _when("used_at"),
        sa.ForeignKeyConstraint(["session_id"], ["user_sessions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_api_tokens_session_id", "api_tokens", ["session_id"], unique=False)
    op.create_table(
        "mfa_recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", String(length=255), nullable=False),
        _when("created_at", False),
        _when("used_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mfa_recovery_codes_user_id", "mfa_recovery_codes", ["user_id"], unique=False)
    op.create_table(
        "action_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", String(length=24), nullable=False),
        sa.Column("token_hash", String(length=64), nullable=False),
        sa.Column("payload_enc", sa.Text(), nullable=True),
        _when("created_at", False),
        _when("expires_at", False),
        _when("used_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_action_tokens_user_id", "action_tokens", ["user_id"], unique=False)
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", String(length=24), nullable=False),
        sa.Column("recipient_enc", sa.Text(), nullable=True),
        sa.Column("subject", String(length=200), nullable=False),
        sa.Column("body_enc", sa.Text(), nullable=True),
        _when("created_at", False),
        _when("sent_at"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_mail_outbox_created_at", "mail_outbox", ["created_at"], unique=False)
    op.create_index("ix_mail_outbox_user_id", "mail_outbox", ["user_id"], unique=False)
    op.create_table(
        "auth_throttles",
        sa.Column("key", String(length=96), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        _when("first_failure_at"),
        _when("last_failure_at"),
        _when("locked_at"),
        _when("locked_until"),
        sa.PrimaryKeyConstraint("key"),
    )


_NEW_USER_COLUMNS = (
    ("email_enc", sa.Text(), None),
    ("status", String(length=16), "active"),
    ("full_name_enc", sa.Text(), None),
    ("birth_date_enc", sa.Text(), None),
    ("address_enc", sa.Text(), None),
    ("phone_enc", sa.Text(), None),
    ("phone_index", String(length=64), None),
    ("country", String(length=2), ""),
    ("terms_version", String(length=16), ""),
    ("privacy_version", String(length=16), ""),
    ("created_by", String(length=64), ""),
    ("last_login_ip", String(length=64), ""),
    ("previous_login_ip", String(length=64), ""),
    ("totp_secret_enc", sa.Text(), None),
    ("totp_pending_enc", sa.Text(), None),
)
_NEW_USER_TIMES = ("consent_at", "email_verified_at", "password_changed_at", "totp_enabled_at")


def _keys():
    """The data migration's key provider: the keyring the app's settings name."""
    from casino_app.adapters.keys import LocalKeyring
    from casino_app.config import load_settings

    return LocalKeyring(load_settings().keyring_path)


def _seal_existing_users() -> None:
    """Move plaintext emails and birth dates into the blind index and sealed columns."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, email, birth_date FROM users")).all()
    if not rows:
        return
    from casino_app.services.security import crypto

    keys = _keys()
    for user_id, email, birth in rows:
        bind.execute(
            sa.text(
                "UPDATE users SET email_index = :ix, email_enc = :em, birth_date_enc = :bd, "
                "email_verified_at = created_at WHERE id = :id"
            ),
            {
                "ix": crypto.blind_index(email, purpose="email", keys=keys),
                "em": crypto.seal(email, table="users", column="email_enc", row_id=user_id, keys=keys),
                "bd": crypto.seal(
                    str(birth)[:10], table="users", column="birth_date_enc", row_id=user_id, keys=keys
                ),
                "id": user_id,
            },
        )


def upgrade() -> None:
    _create_tables()
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_index", String(length=64), nullable=True))
        for name, type_, default in _NEW_USER_COLUMNS:
            nullable = default is None
            batch_op.add_column(sa.Column(name, type_, nullable=nullable, server_default=default))
        for name in _NEW_USER_TIMES:
            batch_op.add_column(_when(name))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    _seal_existing_users()
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("email_index", existing_type=String(length=64), nullable=False)
        batch_op.create_unique_constraint("users_email_index_key", ["email_index"])
        batch_op.create_index("ix_users_phone_index", ["phone_index"], unique=False)
        batch_op.drop_column("email")
        batch_op.drop_column("birth_date")


def _unseal_users() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, email_enc, birth_date_enc FROM users")).all()
    if not rows:
        return
    from datetime import date

    from casino_app.services.security import crypto

    keys = _keys()
    for user_id, email_enc, birth_enc in rows:
        email = (
            crypto.unseal(email_enc, table="users", column="email_enc", row_id=user_id, keys=keys)
            if email_enc
            else ""
        )
        birth = (
            crypto.unseal(birth_enc, table="users", column="birth_date_enc", row_id=user_id, keys=keys)
            if birth_enc
            else "1970-01-01"
        )
        bind.execute(
            sa.text("UPDATE users SET email = :em, birth_date = :bd WHERE id = :id"),
            {"em": email or f"erased-{user_id}@invalid", "bd": date.fromisoformat(birth), "id": user_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", String(length=254), nullable=True))
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
    _unseal_users()
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column("email", existing_type=String(length=254), nullable=False)
        batch_op.alter_column("birth_date", existing_type=sa.Date(), nullable=False)
        batch_op.create_unique_constraint("users_email_key", ["email"])
        batch_op.drop_index("ix_users_phone_index")
        batch_op.drop_constraint("users_email_index_key", type_="unique")
        batch_op.drop_column("totp_last_step")
        for name in reversed(_NEW_USER_TIMES):
            batch_op.drop_column(name)
        for name, _type, _default in reversed(_NEW_USER_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("email_index")
    op.drop_table("auth_throttles")
    op.drop_index("ix_mail_outbox_user_id", table_name="mail_outbox")
    op.drop_index("ix_mail_outbox_created_at", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_index("ix_action_tokens_user_id", table_name="action_tokens")
    op.drop_table("action_tokens")
    op.drop_index("ix_mfa_recovery_codes_user_id", table_name="mfa_recovery_codes")
    op.drop_table("mfa_recovery_codes")
    op.drop_index("ix_api_tokens_session_id", table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index("ix_user_sessions_user_id", table_name="user_sessions")
    op.drop_table("user_sessions")
