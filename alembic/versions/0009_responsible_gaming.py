"""responsible gaming: limits and their history, usage totals kept by triggers, blocks, play sessions, cases

`rg_usage` (stakes and wins per player, currency and UTC hour) is kept by triggers on `bets`
on both engines and backfilled from the bets already placed. PostgreSQL gets
`casino_rg_facts`, which takes the player's RG advisory lock and then reads the responsible-gaming facts
of a stake in a fresh statement (so a stake that waited for the lock sees what the one before
it committed): one round trip in the stake's transaction. Case trails and exclusions are
append-only. An index on bets (user_id, created_at) bounds "bets since the session began".

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import casino_app.persistence.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    _create_tables()
    with op.batch_alter_table('bets', schema=None) as batch_op:
        batch_op.create_index('ix_bets_user_created', ['user_id', 'created_at'], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in POSTGRES if dialect == "postgresql" else SQLITE:
        op.execute(statement)
    _backfill(dialect)


def _create_tables() -> None:
    op.create_table('rg_excluded_identifiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('until', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('email', 'phone')", name='ck_rg_excluded_identifiers_kind'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'digest', name='uq_rg_excluded_identifiers')
    )
    op.create_table('rg_usage',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('hour', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('staked', sa.BigInteger(), nullable=False),
    sa.Column('won', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('user_id', 'currency', 'hour')
    )
    op.create_table('rg_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('markers', sa.Text(), nullable=False),
    sa.Column('opened_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('assigned_to', sa.Integer(), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('decided_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('appeal', sa.Text(), nullable=False),
    sa.Column('appealed_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("outcome IN ('no_action', 'player_contacted', 'limits_imposed', 'timeout_imposed', 'excluded')", name='ck_rg_cases_outcome'),
    sa.CheckConstraint("status IN ('open', 'in_review', 'decided', 'appealed')", name='ck_rg_cases_status'),
    sa.ForeignKeyConstraint(['assigned_to'], ['users.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rg_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rg_cases_status'), ['status'], unique=False)
        batch_op.create_index('ix_rg_cases_user_currency', ['user_id', 'currency'], unique=False)

    op.create_table('rg_exclusions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('starts_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.CheckConstraint("kind IN ('timeout', 'self_exclusion', 'operator_exclusion')", name='ck_rg_exclusions_kind'),
    sa.CheckConstraint("source IN ('player', 'operator')", name='ck_rg_exclusions_source'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rg_exclusions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rg_exclusions_user_id'), ['user_id'], unique=False)

    op.create_table('rg_limit_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('old_amount', sa.BigInteger(), nullable=True),
    sa.Column('new_amount', sa.BigInteger(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('requested_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('effective_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.CheckConstraint("kind IN ('deposit', 'loss', 'wager', 'session')", name='ck_rg_limit_changes_kind'),
    sa.CheckConstraint("period IN ('day', 'week', 'month', 'session')", name='ck_rg_limit_changes_period'),
    sa.CheckConstraint("source IN ('player', 'operator')", name='ck_rg_limit_changes_source'),
    sa.CheckConstraint("status IN ('applied', 'pending', 'confirmed', 'expired', 'cancelled')", name='ck_rg_limit_changes_status'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rg_limit_changes', schema=None) as batch_op:
        batch_op.create_index('ix_rg_limit_changes_status_expiry', ['status', 'expires_at'], unique=False)
        batch_op.create_index('ix_rg_limit_changes_user', ['user_id', 'requested_at'], unique=False)

    op.create_table('rg_limits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('set_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('set_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.CheckConstraint("kind IN ('deposit', 'loss', 'wager', 'session')", name='ck_rg_limits_kind'),
    sa.CheckConstraint("period IN ('day', 'week', 'month', 'session')", name='ck_rg_limits_period'),
    sa.CheckConstraint("source IN ('player', 'operator')", name='ck_rg_limits_source'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'currency', 'kind', 'period', 'source', name='uq_rg_limits_key')
    )
    with op.batch_alter_table('rg_limits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rg_limits_user_id'), ['user_id'], unique=False)

    op.create_table('rg_players',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('block_kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('block_until', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reality_minutes', sa.Integer(), nullable=True),
    sa.Column('session_limit_minutes', sa.Integer(), nullable=True),
    sa.Column('session_started_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reality_due_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('session_ends_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('limits_reviewed_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("block_kind IN ('timeout', 'self_exclusion', 'operator_exclusion')", name='ck_rg_players_block_kind'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('rg_reality_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('session_started_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('due_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('played_seconds', sa.Integer(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('choice', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.CheckConstraint("choice IN ('continue', 'stop', 'history')", name='ck_rg_reality_checks_choice'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rg_reality_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rg_reality_checks_user_id'), ['user_id'], unique=False)

    op.create_table('rg_wallet_limits',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('deposit_day', sa.BigInteger(), nullable=True),
    sa.Column('deposit_week', sa.BigInteger(), nullable=True),
    sa.Column('deposit_month', sa.BigInteger(), nullable=True),
    sa.Column('loss_day', sa.BigInteger(), nullable=True),
    sa.Column('loss_week', sa.BigInteger(), nullable=True),
    sa.Column('loss_month', sa.BigInteger(), nullable=True),
    sa.Column('wager_day', sa.BigInteger(), nullable=True),
    sa.Column('wager_week', sa.BigInteger(), nullable=True),
    sa.Column('wager_month', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'currency')
    )
    op.create_table('rg_case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', casino_app.persistence.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('opened', 'markers', 'assigned', 'note', 'decided', 'appealed')", name='ck_rg_case_events_kind'),
    sa.ForeignKeyConstraint(['case_id'], ['rg_cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rg_case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rg_case_events_case_id'), ['case_id'], unique=False)



HOUR_SQLITE = "strftime('%Y-%m-%d %H:00:00.000000', {})"
APPEND_ONLY = ("rg_case_events", "rg_exclusions")

SQLITE = [
    "CREATE TRIGGER bets_rg_usage_stake AFTER INSERT ON bets BEGIN "
    "INSERT INTO rg_usage (user_id, currency, hour, staked, won) "
    f"VALUES (NEW.user_id, NEW.currency, {HOUR_SQLITE.format('NEW.created_at')}, NEW.stake, 0) "
    "ON CONFLICT (user_id, currency, hour) DO UPDATE SET staked = staked + excluded.staked; END",
    "CREATE TRIGGER bets_rg_usage_settle AFTER UPDATE OF status ON bets "
    "WHEN OLD.status = 'pending' AND NEW.status <> 'pending' BEGIN "
    "UPDATE rg_usage SET staked = staked - NEW.stake WHERE NEW.status = 'void' "
    "AND user_id = NEW.user_id AND currency = NEW.currency "
    f"AND hour = {HOUR_SQLITE.format('NEW.created_at')}; "
    "INSERT INTO rg_usage (user_id, currency, hour, staked, won) "
    f"SELECT NEW.user_id, NEW.currency, {HOUR_SQLITE.format('coalesce(NEW.settled_at, NEW.created_at)')}, "
    "0, NEW.win WHERE NEW.status <> 'void' AND NEW.win > 0 "
    "ON CONFLICT (user_id, currency, hour) DO UPDATE SET won = won + excluded.won; END",
    *(
        f"CREATE TRIGGER {t}_no_{op_} BEFORE {op_.upper()} ON {t} "
        f"BEGIN SELECT RAISE(ABORT, '{t} is append-only'); END"
        for t in APPEND_ONLY
        for op_ in ("update", "delete")
    ),
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS bets_rg_usage_stake",
    "DROP TRIGGER IF EXISTS bets_rg_usage_settle",
    *(f"DROP TRIGGER IF EXISTS {t}_no_{op_}" for t in APPEND_ONLY for op_ in ("update", "delete")),
]

POSTGRES = [
    """CREATE FUNCTION casino_rg_usage_staked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO rg_usage AS u (user_id, currency, hour, staked, won)
      VALUES (NEW.user_id, NEW.currency, date_trunc('hour', NEW.created_at, 'UTC'), NEW.stake, 0)
      ON CONFLICT (user_id, currency, hour) DO UPDATE SET staked = u.staked + EXCLUDED.staked;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER bets_rg_usage_stake AFTER INSERT ON bets "
    "FOR EACH ROW EXECUTE FUNCTION casino_rg_usage_staked()",
    # Settlement updates bets set-based: one aggregate per statement, not one upsert per bet.
    """CREATE FUNCTION casino_rg_usage_settled() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE rg_usage u SET staked = u.staked - v.stake
      FROM (SELECT n.user_id, n.currency, date_trunc('hour', n.created_at, 'UTC') AS hour,
                   sum(n.stake) AS stake
            FROM new_bets n JOIN old_bets o ON o.id = n.id
            WHERE o.status = 'pending' AND n.status = 'void'
            GROUP BY 1, 2, 3) v
      WHERE u.user_id = v.user_id AND u.currency = v.currency AND u.hour = v.hour;
      INSERT INTO rg_usage AS u (user_id, currency, hour, staked, won)
      SELECT n.user_id, n.currency, date_trunc('hour', coalesce(n.settled_at, n.created_at), 'UTC'), 0,
             sum(n.win)
      FROM new_bets n JOIN old_bets o ON o.id = n.id
      WHERE o.status = 'pending' AND n.status NOT IN ('pending', 'void') AND n.win > 0
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (user_id, currency, hour) DO UPDATE SET won = u.won + EXCLUDED.won;
      RETURN NULL;
    END $$""",
    "CREATE TRIGGER bets_rg_usage_settle AFTER UPDATE ON bets "
    "REFERENCING OLD TABLE AS old_bets NEW TABLE AS new_bets "
    "FOR EACH STATEMENT EXECUTE FUNCTION casino_rg_usage_settled()",
    # The stake's RG facts: take the player's RG lock (a transaction-scoped advisory lock, key
    # (RG_LOCK, user id), the same one every RG change takes: no tuple lock, no WAL), then read
    # in a fresh statement (READ COMMITTED gives each statement of a volatile function a new
    # snapshot), so a stake that waited for the lock sees the usage the one before it committed.
    """CREATE FUNCTION casino_rg_facts(p_user integer, p_currency text, p_day timestamptz,
        p_week timestamptz, p_month timestamptz)
    RETURNS TABLE (country text, block_kind text, block_until timestamptz, session_started_at timestamptz,
        reality_due_at timestamptz, session_ends_at timestamptz, loss_day bigint, loss_week bigint,
        loss_month bigint, wager_day bigint, wager_week bigint, wager_month bigint, staked_day bigint,
        won_day bigint, staked_week bigint, won_week bigint, staked_month bigint, won_month bigint)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE v_country text;
    BEGIN
      PERFORM pg_advisory_xact_lock(1919, p_user);  -- RG_LOCK in services/compliance/rg/state.py
      SELECT u.country INTO v_country FROM users u WHERE u.id = p_user;
      IF NOT FOUND THEN
        RETURN;
      END IF;
      RETURN QUERY
      SELECT v_country::text, p.block_kind::text, p.block_until, p.session_started_at, p.reality_due_at,
             p.session_ends_at, l.loss_day, l.loss_week, l.loss_month, l.wager_day, l.wager_week,
             l.wager_month, g.staked_day, g.won_day, g.staked_week, g.won_week, g.staked_month, g.won_month
      FROM (SELECT 1) AS one
      LEFT JOIN rg_players p ON p.user_id = p_user
      LEFT JOIN rg_wallet_limits l ON l.user_id = p_user AND l.currency = p_currency
      LEFT JOIN LATERAL (
        SELECT coalesce(sum(r.staked) FILTER (WHERE r.hour >= p_day), 0)::bigint AS staked_day,
               coalesce(sum(r.won) FILTER (WHERE r.hour >= p_day), 0)::bigint AS won_day,
               coalesce(sum(r.staked) FILTER (WHERE r.hour >= p_week), 0)::bigint AS staked_week,
               coalesce(sum(r.won) FILTER (WHERE r.hour >= p_week), 0)::bigint AS won_week,
               coalesce(sum(r.staked), 0)::bigint AS staked_month,
               coalesce(sum(r.won), 0)::bigint AS won_month
        FROM rg_usage r
        WHERE r.user_id = p_user AND r.currency = p_currency AND r.hour >= p_month
      ) g ON l.loss_day IS NOT NULL OR l.loss_week IS NOT NULL OR l.loss_month IS NOT NULL
          OR l.wager_day IS NOT NULL OR l.wager_week IS NOT NULL OR l.wager_month IS NOT NULL;
    END $$""",
    """CREATE FUNCTION casino_rg_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$""",
    *(
        f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
        f"FOR EACH ROW EXECUTE FUNCTION casino_rg_refuse_change()"
        for t in APPEND_ONLY
    ),
]
POSTGRES_DROP = [
    "DROP FUNCTION IF EXISTS casino_rg_facts(integer, text, timestamptz, timestamptz, timestamptz)",
    "DROP FUNCTION IF EXISTS casino_rg_usage_staked() CASCADE",
    "DROP FUNCTION IF EXISTS casino_rg_usage_settled() CASCADE",
    "DROP FUNCTION IF EXISTS casino_rg_refuse_change() CASCADE",
]


def _backfill(dialect: str) -> None:
    """Usage totals of the bets already placed: stakes by the hour placed, wins by the hour settled."""
    if dialect == "postgresql":
        hour_placed = "date_trunc('hour', created_at, 'UTC')"
        hour_settled = "date_trunc('hour', coalesce(settled_at, created_at), 'UTC')"
    else:
        hour_placed = HOUR_SQLITE.format("created_at")
        hour_settled = HOUR_SQLITE.format("coalesce(settled_at, created_at)")
    op.execute(
        "INSERT INTO rg_usage (user_id, currency, hour, staked, won) "
        f"SELECT user_id, currency, {hour_placed}, SUM(stake), 0 FROM bets WHERE status <> 'void' "
        "GROUP BY 1, 2, 3"
    )
    op.execute(
        "INSERT INTO rg_usage (user_id, currency, hour, staked, won) "
        f"SELECT user_id, currency, {hour_settled}, 0, SUM(win) FROM bets "
        "WHERE status NOT IN ('pending', 'void') AND win > 0 GROUP BY 1, 2, 3 "
        "ON CONFLICT (user_id, currency, hour) DO UPDATE SET won = rg_usage.won + excluded.won"
    )

def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_DROP if dialect == "postgresql" else SQLITE_DROP:
        op.execute(statement)
    with op.batch_alter_table('bets', schema=None) as batch_op:
        batch_op.drop_index('ix_bets_user_created')
    with op.batch_alter_table('rg_case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rg_case_events_case_id'))

    op.drop_table('rg_case_events')
    op.drop_table('rg_wallet_limits')
    with op.batch_alter_table('rg_reality_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rg_reality_checks_user_id'))

    op.drop_table('rg_reality_checks')
    op.drop_table('rg_players')
    with op.batch_alter_table('rg_limits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rg_limits_user_id'))

    op.drop_table('rg_limits')
    with op.batch_alter_table('rg_limit_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_rg_limit_changes_user')
        batch_op.drop_index('ix_rg_limit_changes_status_expiry')

    op.drop_table('rg_limit_changes')
    with op.batch_alter_table('rg_exclusions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rg_exclusions_user_id'))

    op.drop_table('rg_exclusions')
    with op.batch_alter_table('rg_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_rg_cases_user_currency')
        batch_op.drop_index(batch_op.f('ix_rg_cases_status'))

    op.drop_table('rg_cases')
    op.drop_table('rg_usage')
    op.drop_table('rg_excluded_identifiers')
