"""The audit hash chain (pure): any single edit, deletion, insertion or swap is found and named."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from casino_app.domain.compliance.audit_chain import (
    GENESIS,
    ChainRecord,
    record_hash,
    to_millis,
    verify_chain,
)

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


def chain(n: int) -> list[ChainRecord]:
    out, prev = [], GENESIS
    for seq in range(1, n + 1):
        at = T0 + timedelta(milliseconds=137 * seq)
        details = {"n": seq, "note": "ż"}
        digest = record_hash(seq, at, f"actor{seq % 3}", "act", f"s{seq}", details, prev)
        out.append(ChainRecord(seq, at, f"actor{seq % 3}", "act", f"s{seq}", details, prev, digest))
        prev = digest
    return out


def _locate(records: list[ChainRecord]):
    by_hash = {r.hash: r.seq for r in records}
    return by_hash.get


def test_milliseconds_use_integer_arithmetic() -> None:
    assert to_millis(datetime(1970, 1, 1, 0, 0, 1, 999_999, tzinfo=UTC)) == 1999
    assert to_millis(T0) == 1772366400000


@settings(max_examples=60, deadline=None)
@given(n=st.integers(3, 30), data=st.data())
def test_an_edit_is_named(n: int, data: st.DataObject) -> None:
    records = chain(n)
    k = data.draw(st.integers(0, n - 1))
    records[k] = replace(records[k], subject="forged")
    finding = verify_chain(records, _locate(records)).finding
    assert finding is not None and (finding.seq, finding.kind) == (k + 1, "edited")


@settings(max_examples=60, deadline=None)
@given(n=st.integers(3, 30), data=st.data())
def test_a_deletion_before_the_head_is_named(n: int, data: st.DataObject) -> None:
    records = chain(n)
    k = data.draw(st.integers(0, n - 2))
    del records[k]
    finding = verify_chain(records, _locate(records)).finding
    assert finding is not None and (finding.seq, finding.kind) == (k + 1, "deleted")


@settings(max_examples=60, deadline=None)
@given(n=st.integers(3, 30), data=st.data())
def test_a_swap_of_neighbours_is_named(n: int, data: st.DataObject) -> None:
    records = chain(n)
    k = data.draw(st.integers(0, n - 2))
    a, b = records[k], records[k + 1]
    records[k], records[k + 1] = replace(b, seq=a.seq), replace(a, seq=b.seq)
    finding = verify_chain(records, _locate(records)).finding
    assert finding is not None and (finding.seq, finding.kind) == (k + 1, "reordered")


def test_an_insertion_with_a_valid_own_hash_is_named() -> None:
    records = chain(6)
    forged_hash = record_hash(4, T0, "mallory", "act", "x", {}, records[2].hash)
    forged = ChainRecord(4, T0, "mallory", "act", "x", {}, records[2].hash, forged_hash)
    tampered = [*records[:3], forged, *(replace(r, seq=r.seq + 1) for r in records[3:])]
    finding = verify_chain(tampered, _locate(tampered)).finding
    assert finding is not None and (finding.seq, finding.kind) == (4, "inserted")


def test_an_intact_chain_reports_its_head() -> None:
    records = chain(5)
    report = verify_chain(records)
    assert report.ok and (report.checked, report.head_seq, report.head_hash) == (5, 5, records[-1].hash)
