"""payments over providers: attempts (failover keeps the order id), webhook events (dedup), cards on file

`payments` gains the method, the country, the number of attempts, the last webhook sequence
(events older than it change nothing) and when it last changed. `payment_attempts` holds one
row per provider call, `payment_webhook_events` one row per verified event (unique per provider
and event id), `payment_cards` the cards on file: token, brand, last 4, expiry and the
holder-name check only. Every existing payment becomes one attempt with its provider.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import casino_app.persistence.types


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString
_T = casino_app.persistence.types.UtcDateTime


def upgrade() -> None:
    op.add_column('payments', sa.Column('method', _S(length=16), nullable=False, server_default='card'))
    op.add_column('payments', sa.Column('country', _S(length=2), nullable=False, server_default=''))
    op.add_column('payments', sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('payments', sa.Column('last_sequence', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('payments', sa.Column('updated_at', _T(timezone=True), nullable=True))
    op.create_table('payment_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', _S(length=80), nullable=False),
    sa.Column('provider', _S(length=32), nullable=False),
    sa.Column('provider_reference', _S(length=128), nullable=False),
    sa.Column('status', _S(length=16), nullable=False),
    sa.Column('decline_reason', _S(length=255), nullable=False),
    sa.Column('created_at', _T(timezone=True), nullable=False),
    sa.Column('updated_at', _T(timezone=True), nullable=False),
    sa.CheckConstraint(
        "status IN ('started', 'pending', 'succeeded', 'declined', 'failed_over')",
        name='ck_payment_attempts_status',
    ),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('attempt_id')
    )
    op.create_index('ix_payment_attempts_payment_id', 'payment_attempts', ['payment_id'], unique=False)
    op.create_index('ix_payment_attempts_status', 'payment_attempts', ['status'], unique=False)
    op.create_index('ix_payment_attempts_reference', 'payment_attempts', ['provider', 'provider_reference'], unique=False)
    op.create_table('payment_webhook_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider', _S(length=32), nullable=False),
    sa.Column('event_id', _S(length=128), nullable=False),
    sa.Column('event_type', _S(length=64), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('outcome', _S(length=16), nullable=False),
    sa.Column('received_at', _T(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('applied', 'ignored')", name='ck_payment_webhook_events_outcome'),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('provider', 'event_id', name='uq_payment_webhook_events')
    )
    op.create_index('ix_payment_webhook_events_payment_id', 'payment_webhook_events', ['payment_id'], unique=False)
    op.create_table('payment_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('provider', _S(length=32), nullable=False),
    sa.Column('token', _S(length=128), nullable=False),
    sa.Column('brand', _S(length=16), nullable=False),
    sa.Column('last4', _S(length=4), nullable=False),
    sa.Column('exp_month', sa.Integer(), nullable=False),
    sa.Column('exp_year', sa.Integer(), nullable=False),
    sa.Column('holder_name_match', sa.Boolean(), nullable=False),
    sa.Column('created_at', _T(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('provider', 'token', name='uq_payment_cards_token')
    )
    op.create_index('ix_payment_cards_user_id', 'payment_cards', ['user_id'], unique=False)
    _backfill_attempts()


def _backfill_attempts() -> None:
    """Each payment made before this revision was one charge: it becomes attempt `<order>:1`."""
    op.execute(
        "INSERT INTO payment_attempts (payment_id, attempt_id, provider, provider_reference, status,"
        " decline_reason, created_at, updated_at)"
        " SELECT id, order_id || ':' || '1', provider, provider_reference,"
        " CASE status WHEN 'approved' THEN 'succeeded' WHEN 'declined' THEN 'declined' ELSE 'started' END,"
        " decline_reason, created_at, created_at FROM payments"
    )
    op.execute("UPDATE payments SET attempts = 1")


def downgrade() -> None:
    op.drop_index('ix_payment_cards_user_id', table_name='payment_cards')
    op.drop_table('payment_cards')
    op.drop_index('ix_payment_webhook_events_payment_id', table_name='payment_webhook_events')
    op.drop_table('payment_webhook_events')
    op.drop_index('ix_payment_attempts_reference', table_name='payment_attempts')
    op.drop_index('ix_payment_attempts_status', table_name='payment_attempts')
    op.drop_index('ix_payment_attempts_payment_id', table_name='payment_attempts')
    op.drop_table('payment_attempts')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        for column in ('updated_at', 'last_sequence', 'attempts', 'country', 'method'):
            batch_op.drop_column(column)
