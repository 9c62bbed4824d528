"""bets: PostgreSQL's RG usage settle trigger per row, only for a void or a win

The statement-level trigger with transition tables (0009) made PostgreSQL keep a copy of
every old and new row of any UPDATE on bets, and join the two, even when nothing was to be
recorded: settling a draw's million losing tickets in one statement paid for two million
captured rows. A row trigger with a WHEN clause costs a losing ticket one comparison and
records a void or a win exactly as before (the same rule SQLite's trigger has had since 0018).

Revision ID: 0019
Revises: 0018
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_ROW = """CREATE OR REPLACE FUNCTION casino_rg_usage_settled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'void' THEN
    UPDATE rg_usage SET staked = staked - NEW.stake
    WHERE user_id = NEW.user_id AND currency = NEW.currency
      AND hour = date_trunc('hour', NEW.created_at, 'UTC');
  ELSE
    INSERT INTO rg_usage AS u (user_id, currency, hour, staked, won)
    VALUES (NEW.user_id, NEW.currency, date_trunc('hour', coalesce(NEW.settled_at, NEW.created_at), 'UTC'),
            0, NEW.win)
    ON CONFLICT (user_id, currency, hour) DO UPDATE SET won = u.won + EXCLUDED.won;
  END IF;
  RETURN NULL;
END $$"""
_ROW_TRIGGER = (
    "CREATE TRIGGER bets_rg_usage_settle AFTER UPDATE ON bets FOR EACH ROW "
    "WHEN (OLD.status = 'pending' AND NEW.status <> 'pending' AND (NEW.status = 'void' OR NEW.win > 0)) "
    "EXECUTE FUNCTION casino_rg_usage_settled()"
)
_STATEMENT = """CREATE OR REPLACE FUNCTION casino_rg_usage_settled() RETURNS trigger LANGUAGE plpgsql AS $$
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
END $$"""
_STATEMENT_TRIGGER = (
    "CREATE TRIGGER bets_rg_usage_settle AFTER UPDATE ON bets "
    "REFERENCING OLD TABLE AS old_bets NEW TABLE AS new_bets "
    "FOR EACH STATEMENT EXECUTE FUNCTION casino_rg_usage_settled()"
)


def _swap(function: str, trigger: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's trigger is already per row with this rule (0018)
    op.execute("DROP TRIGGER IF EXISTS bets_rg_usage_settle ON bets")
    op.execute(function)
    op.execute(trigger)


def upgrade() -> None:
    _swap(_ROW, _ROW_TRIGGER)


def downgrade() -> None:
    _swap(_STATEMENT, _STATEMENT_TRIGGER)
