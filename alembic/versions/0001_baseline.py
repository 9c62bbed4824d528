"""baseline: every table, plus append-only ledger and write-once draw triggers

Revision ID: 0001
Revises: 
Create Date: 2026-11-21 02:49:56.797830
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import casino_app.persistence.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_leases',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('holder', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('expires_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('ledger_transactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('fx_rate', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('created_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reverses_id'], ['ledger_transactions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key'),
    sa.UniqueConstraint('reverses_id')
    )
    with op.batch_alter_table('ledger_transactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_transactions_created_at'), ['created_at'], unique=False)
    op.create_table('lotto_games',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('pick', sa.Integer(), nullable=False),
    sa.Column('pool', sa.Integer(), nullable=False),
    sa.Column('paytable', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('min_stake', sa.BigInteger(), nullable=False),
    sa.Column('max_stake', sa.BigInteger(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('draw_interval_seconds', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('created_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('previous_login_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('shard', sa.Integer(), nullable=False),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("balance >= 0 OR kind NOT IN ('player_cash', 'player_bonus', 'player_hold')", name='ck_accounts_player_not_negative'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_owner_id'), ['owner_id'], unique=False)

    op.create_table('draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('game_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('sales_close_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('draw_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('seed_commitment', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('server_seed', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('numbers', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('drawn_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('settled_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['game_id'], ['lotto_games.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('game_id', 'code', name='uq_draws_game_code')
    )
    with op.batch_alter_table('draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draws_draw_at'), ['draw_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_draws_game_id'), ['game_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draws_status'), ['status'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('provider_reference', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('method_label', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('decline_reason', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('created_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id')
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_user_id'), ['user_id'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('balance_after', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], ),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transactions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_account_txn', ['account_id', 'transaction_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_transaction_id'), ['transaction_id'], unique=False)

    op.create_table('tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('validation_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('selection', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('stake', sa.BigInteger(), nullable=False),
    sa.Column('stake_bonus', sa.BigInteger(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('matches', sa.Integer(), nullable=True),
    sa.Column('win', sa.BigInteger(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('created_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('settled_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['draw_id'], ['draws.id'], ),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transactions.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('validation_number')
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tickets_draw_id'), ['draw_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tickets_user_id'), ['user_id'], unique=False)


    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tickets_user_id'))
        batch_op.drop_index(batch_op.f('ix_tickets_draw_id'))

    op.drop_table('tickets')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_entries_transaction_id'))
        batch_op.drop_index('ix_ledger_entries_account_txn')

    op.drop_table('ledger_entries')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_user_id'))

    op.drop_table('payments')
    with op.batch_alter_table('draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draws_status'))
        batch_op.drop_index(batch_op.f('ix_draws_game_id'))
        batch_op.drop_index(batch_op.f('ix_draws_draw_at'))

    op.drop_table('draws')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_owner_id'))

    op.drop_table('accounts')
    op.drop_table('users')
    op.drop_table('lotto_games')
    with op.batch_alter_table('ledger_transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_transactions_created_at'))

    op.drop_table('ledger_transactions')
    op.drop_table('job_leases')


APPEND_ONLY = ("ledger_transactions", "ledger_entries")

SQLITE_TRIGGERS = [
    *(
        f"CREATE TRIGGER {t}_no_{op_} BEFORE {op_.upper()} ON {t} "
        f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"
        for t in APPEND_ONLY
        for op_ in ("update", "delete")
    ),
    "CREATE TRIGGER draws_write_once BEFORE UPDATE ON draws "
    "WHEN NEW.seed_commitment IS NOT OLD.seed_commitment OR NEW.server_seed IS NOT OLD.server_seed "
    "OR (OLD.numbers IS NOT NULL AND (NEW.numbers IS NOT OLD.numbers OR NEW.draw_at IS NOT OLD.draw_at)) "
    "BEGIN SELECT RAISE(ABORT, 'draw commitments and results are write-once'); END",
    "CREATE TRIGGER draws_no_delete BEFORE DELETE ON draws "
    "BEGIN SELECT RAISE(ABORT, 'draws are never deleted'); END",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION casino_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$""",
    *(
        f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
        f"FOR EACH ROW EXECUTE FUNCTION casino_refuse_change()"
        for t in APPEND_ONLY
    ),
    *(
        f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION casino_refuse_change()"
        for t in APPEND_ONLY
    ),
    """CREATE FUNCTION casino_draw_write_once() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'draws are never deleted'; END IF;
      IF NEW.seed_commitment IS DISTINCT FROM OLD.seed_commitment
         OR NEW.server_seed IS DISTINCT FROM OLD.server_seed
         OR (OLD.numbers IS NOT NULL AND (NEW.numbers IS DISTINCT FROM OLD.numbers
                                          OR NEW.draw_at IS DISTINCT FROM OLD.draw_at)) THEN
        RAISE EXCEPTION 'draw commitments and results are write-once';
      END IF;
      RETURN NEW;
    END $$""",
    "CREATE TRIGGER draws_write_once BEFORE UPDATE OR DELETE ON draws "
    "FOR EACH ROW EXECUTE FUNCTION casino_draw_write_once()",
]


def _create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def _drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS casino_refuse_change() CASCADE")
        op.execute("DROP FUNCTION IF EXISTS casino_draw_write_once() CASCADE")
        return
    for t in APPEND_ONLY:
        for op_ in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_{op_}")
    op.execute("DROP TRIGGER IF EXISTS draws_write_once")
    op.execute("DROP TRIGGER IF EXISTS draws_no_delete")
