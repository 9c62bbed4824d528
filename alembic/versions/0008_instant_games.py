"""instant games: players' seed pairs (server seeds sealed until revealed) and instant rounds' fairness records

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
import sqlmodel

import casino_app.persistence.types
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('seed_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('active_user_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('commitment', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('server_seed_enc', sa.Text(), nullable=True),
    sa.Column('server_seed', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('client_seed', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('nonce', sa.Integer(), nullable=False),
    sa.Column('created_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revealed_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('active', 'revealed')", name='ck_seed_pairs_status'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('active_user_id', name='uq_seed_pairs_active_user')
    )
    with op.batch_alter_table('seed_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seed_pairs_user_id'), ['user_id'], unique=False)

    op.create_table('instant_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('bet_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('game_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('game_version', sa.Integer(), nullable=False),
    sa.Column('seed_pair_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.Integer(), nullable=False),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('selection', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('steps', sa.Integer(), nullable=False),
    sa.Column('shown', sa.Integer(), nullable=False),
    sa.Column('cash_before', sa.BigInteger(), nullable=False),
    sa.Column('bonus_before', sa.BigInteger(), nullable=False),
    sa.Column('cash_after', sa.BigInteger(), nullable=True),
    sa.Column('bonus_after', sa.BigInteger(), nullable=True),
    sa.Column('created_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('stepped_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['bet_id'], ['bets.id'], ),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], ),
    sa.ForeignKeyConstraint(['seed_pair_id'], ['seed_pairs.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bet_id'),
    sa.UniqueConstraint('round_id'),
    sa.UniqueConstraint('user_id', 'request_key', name='uq_instant_rounds_user_request')
    )
    with op.batch_alter_table('instant_rounds', schema=None) as batch_op:
        batch_op.create_index('ix_instant_rounds_expires_at', ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_instant_rounds_seed_pair_id'), ['seed_pair_id'], unique=False)
        batch_op.create_index('ix_instant_rounds_user_game', ['user_id', 'game_code', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('instant_rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_instant_rounds_user_game')
        batch_op.drop_index(batch_op.f('ix_instant_rounds_seed_pair_id'))
        batch_op.drop_index('ix_instant_rounds_expires_at')

    op.drop_table('instant_rounds')
    with op.batch_alter_table('seed_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seed_pairs_user_id'))

    op.drop_table('seed_pairs')
