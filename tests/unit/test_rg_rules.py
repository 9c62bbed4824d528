"""Responsible-gaming rules of domain/compliance (docs/RESPONSIBLE_GAMING.md): pure, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from casino_app.domain.compliance import exclusion, limits, markers, reality
from casino_app.domain.compliance.checks import RESPONSIBLE_GAMING, RG, RgFacts
from casino_app.domain.compliance.profiles import PROFILES, profile_for
from casino_app.domain.compliance.vocabulary import (
    BlockKind,
    ExclusionTerm,
    LimitKind,
    LimitPeriod,
    MarkerCode,
)
from casino_app.domain.errors import InvalidInput, LimitExceeded, RealityCheckDue, SelfExcluded, TimedOut
from casino_app.domain.games.checks import StakeFacts

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GB, SE, DEFAULT = PROFILES["GB"], PROFILES["SE"], PROFILES["DEFAULT"]
DAY = (LimitKind.LOSS, LimitPeriod.DAY)


def _facts(rg: RgFacts, stake: int = 1_00, now: datetime = T0) -> StakeFacts:
    return StakeFacts(1, "flip", "instant", 1, 1, "EUR", stake, 10, 100_00, now, {RG: rg})


def test_loss_is_stakes_minus_wins_stake_10_and_win_8_is_a_loss_of_2() -> None:
    usage = limits.Usage({LimitPeriod.DAY: limits.Window(staked=10_00, won=8_00)})
    assert usage.used(LimitKind.LOSS, LimitPeriod.DAY) == 2_00
    assert usage.used(LimitKind.WAGER, LimitPeriod.DAY) == 10_00


def test_winnings_never_make_the_loss_room_larger_than_the_limit() -> None:
    usage = limits.Usage({LimitPeriod.DAY: limits.Window(staked=10_00, won=50_00)})
    with pytest.raises(LimitExceeded):
        limits.check_stake(limits.Limits({DAY: 20_00}), usage, 20_01, "EUR")


def test_the_lowest_remaining_room_of_every_limit_in_force_applies() -> None:
    rules = limits.Limits({DAY: 50_00, (LimitKind.WAGER, LimitPeriod.MONTH): 30_00})
    usage = limits.Usage(
        {p: limits.Window(staked=25_00, won=0) for p in LimitPeriod if p != LimitPeriod.SESSION}
    )
    assert limits.room(rules, usage, limits.BET_KINDS) == (5_00, (LimitKind.WAGER, LimitPeriod.MONTH))
    with pytest.raises(LimitExceeded, match=r"wager limit of €30\.00 per 30 days"):
        limits.check_stake(rules, usage, 5_01, "EUR")
    assert limits.lowest(None, 70, 40) == 40 and limits.lowest(None, None) is None


def test_a_deposit_limit_counts_gross_deposits() -> None:
    usage = limits.Usage(deposited={LimitPeriod.DAY: 100_00})
    with pytest.raises(LimitExceeded, match="deposit limit"):
        limits.check_deposit(
            limits.Limits({(LimitKind.DEPOSIT, LimitPeriod.DAY): 100_00}), usage, 10_00, "EUR"
        )


def test_a_decrease_applies_at_once_and_a_raise_or_removal_waits_the_profiles_cooling_off() -> None:
    assert limits.plan_change(100, 50, T0, GB) == limits.Plan(True, T0, None)
    assert limits.plan_change(None, 50, T0, GB).immediate
    gb, se = limits.plan_change(50, 100, T0, GB), limits.plan_change(50, None, T0, SE)
    assert (gb.immediate, gb.effective_at) == (False, T0 + timedelta(hours=24))
    assert (se.immediate, se.effective_at, se.expires_at) == (
        False,
        T0 + timedelta(hours=72),
        T0 + timedelta(hours=72) + timedelta(days=7),
    )
    with pytest.raises(InvalidInput):
        limits.plan_change(50, 50, T0, GB)


def test_a_raise_is_confirmable_only_between_its_cooling_off_and_its_expiry() -> None:
    plan = limits.plan_change(50, 100, T0, GB)
    assert plan.expires_at is not None
    assert not limits.confirmable(plan.effective_at, plan.expires_at, T0 + timedelta(hours=23, minutes=59))
    assert limits.confirmable(plan.effective_at, plan.expires_at, T0 + timedelta(hours=24))
    assert not limits.confirmable(plan.effective_at, plan.expires_at, plan.expires_at)


def test_the_default_profile_is_the_strictest() -> None:
    assert DEFAULT.cooling_off >= max(p.cooling_off for p in PROFILES.values())
    assert DEFAULT.reality_required_max == 60
    assert profile_for("PL") is DEFAULT and profile_for("CA").code == "ON"
    assert profile_for("PL", pinned="SE") is SE


def test_a_time_out_lasts_24_hours_to_30_days_and_self_exclusion_at_least_6_months() -> None:
    assert exclusion.timeout_until(timedelta(hours=24), T0, GB) == T0 + timedelta(hours=24)
    with pytest.raises(InvalidInput):
        exclusion.timeout_until(timedelta(days=31), T0, GB)
    assert exclusion.exclusion_until(ExclusionTerm.SIX_MONTHS, T0, GB) == datetime(2026, 9, 1, 12, tzinfo=UTC)
    assert exclusion.exclusion_until(ExclusionTerm.PERMANENT, T0, GB) is None
    assert exclusion.add_months(datetime(2026, 8, 31, tzinfo=UTC), 6) == datetime(2027, 2, 28, tzinfo=UTC)


def test_a_block_can_only_be_kept_or_extended_never_shortened() -> None:
    year = exclusion.Block(BlockKind.SELF_EXCLUSION, T0 + timedelta(days=365))
    with pytest.raises(InvalidInput):
        exclusion.combine(year, BlockKind.TIMEOUT, T0 + timedelta(days=2), T0)
    assert exclusion.combine(year, BlockKind.SELF_EXCLUSION, None, T0).permanent
    short = exclusion.Block(BlockKind.TIMEOUT, T0 + timedelta(days=1))
    assert exclusion.combine(short, BlockKind.SELF_EXCLUSION, T0 + timedelta(days=180), T0).kind == (
        BlockKind.SELF_EXCLUSION
    )


def test_the_stake_check_refuses_a_blocked_player_with_the_helplines() -> None:
    timeout = RgFacts("GB", block=exclusion.Block(BlockKind.TIMEOUT, T0 + timedelta(hours=1)))
    with pytest.raises(TimedOut, match="GamCare"):
        RESPONSIBLE_GAMING.run(_facts(timeout))
    RESPONSIBLE_GAMING.run(_facts(timeout, now=T0 + timedelta(hours=1)))
    excluded = RgFacts("DEFAULT", block=exclusion.Block(BlockKind.SELF_EXCLUSION, None))
    with pytest.raises(SelfExcluded, match="permanently"):
        RESPONSIBLE_GAMING.run(_facts(excluded, now=T0 + timedelta(days=9000)))


def test_the_stake_check_waits_for_a_reality_check_and_holds_the_loss_limit() -> None:
    session = reality.new_session(T0, 30, None)
    waiting = RgFacts("GB", session=session)
    RESPONSIBLE_GAMING.run(_facts(waiting, now=T0 + timedelta(minutes=29)))
    with pytest.raises(RealityCheckDue, match="30 min"):
        RESPONSIBLE_GAMING.run(_facts(waiting, now=T0 + timedelta(minutes=30)))
    capped = RgFacts("GB", limits=limits.Limits({DAY: 5_00}))
    with pytest.raises(LimitExceeded):
        RESPONSIBLE_GAMING.run(_facts(capped, stake=5_01))


def test_markers_give_their_reasons_and_never_add_currencies() -> None:
    eur = markers.Activity(1, "EUR", loss_24h=600_00, deposits_24h=6, limit_raises_30d=2)
    found = {m.code: m for m in markers.evaluate(eur, GB)}
    assert set(found) == {MarkerCode.LOSS_VELOCITY, MarkerCode.DEPOSIT_FREQUENCY, MarkerCode.LIMIT_RAISES}
    assert found[MarkerCode.LOSS_VELOCITY].reason == "Lost €600.00 in the last 24 hours (threshold €500.00)."
    pln = markers.Activity(1, "PLN", loss_24h=600_00)  # 600 zł is below the 2,000 zł threshold
    assert markers.evaluate(pln, GB) == []
    unknown = markers.Activity(1, "SEK", loss_24h=10**9)  # no threshold in SEK: no amount rule fires
    assert markers.evaluate(unknown, GB) == []


def test_night_play_counts_distinct_local_nights() -> None:
    hours = [datetime(2026, 3, d, 1, tzinfo=UTC) for d in (1, 2, 3)] + [datetime(2026, 3, 3, 2, tzinfo=UTC)]
    assert markers.night_sessions(hours, "Europe/London") == 3
    assert markers.night_sessions([datetime(2026, 3, 1, 23, 30, tzinfo=UTC)], "Europe/Berlin") == 1
