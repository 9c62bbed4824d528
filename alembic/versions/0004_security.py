"""security: audit log hash chain, key versions, encrypted personal data

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import casino_app.persistence.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UtcDateTime = casino_app.persistence.types.UtcDateTime
AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("actor", AutoString(length=128), nullable=False),
        sa.Column("action", AutoString(length=64), nullable=False),
        sa.Column("subject", AutoString(length=255), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("prev_hash", AutoString(length=64), nullable=False),
        sa.Column("hash", AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)

    op.create_table(
        "audit_heads",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", AutoString(length=64), nullable=False),
        sa.Column("signature", AutoString(length=128), nullable=False),
        sa.Column("public_key", AutoString(length=64), nullable=False),
        sa.Column("signed_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "key_rotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("table_name", AutoString(length=64), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("rewrapped", sa.BigInteger(), nullable=False),
        sa.Column("status", AutoString(length=16), nullable=False),
        sa.Column("started_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("version", "table_name", name="uq_key_rotations_version_table"),
    )
    op.create_table(
        "security_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", AutoString(length=32), nullable=False),
        sa.Column("severity", AutoString(length=16), nullable=False),
        sa.Column("message", AutoString(length=500), nullable=False),
        sa.Column("raised_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("security_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_security_alerts_kind"), ["kind"], unique=False)

    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    with op.batch_alter_table("security_alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_security_alerts_kind"))
    op.drop_table("security_alerts")
    op.drop_table("key_rotations")
    op.drop_table("audit_heads")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
    op.drop_table("audit_log")


# The audit log and its signed heads are append-only on every engine.
APPEND_ONLY = ("audit_log", "audit_heads")

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER {t}_no_{op_} BEFORE {op_.upper()} ON {t} "
    f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"
    for t in APPEND_ONLY
    for op_ in ("update", "delete")
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION casino_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$""",
    *(
        f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
        f"FOR EACH ROW EXECUTE FUNCTION casino_audit_refuse_change()"
        for t in APPEND_ONLY
    ),
    *(
        f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION casino_audit_refuse_change()"
        for t in APPEND_ONLY
    ),
]


def _create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS casino_audit_refuse_change() CASCADE")
        return
    for t in APPEND_ONLY:
        for op_ in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_{op_}")
