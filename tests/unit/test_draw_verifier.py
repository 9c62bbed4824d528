"""The draw protocol's pure parts and tools/verify_draw.py: shared vectors, tampering, agreement.

The production code (domain/games/merkle.py, lotto.py) and the standalone verifier are two
implementations of docs/FAIRNESS.md; they must agree on every vector and every generated draw,
and the verifier must name the check an altered input fails.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import secrets
import sys
from pathlib import Path
from typing import Any

import pytest

from casino_app.domain.games import lotto, merkle, rng
from tests.fixtures.make_draw_vectors import build, tickets

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "fixtures" / "draw_vectors.json"
TOOL_PATH = ROOT / "tools" / "verify_draw.py"


def _load_tool() -> Any:
    spec = importlib.util.spec_from_file_location("verify_draw", TOOL_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["verify_draw"] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def _vectors() -> dict[str, Any]:
    return json.loads(VECTORS.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _document() -> dict[str, Any]:
    return copy.deepcopy(_vectors()["draws"][3])  # 6/49, 11 tickets


def _flip(hex_text: str) -> str:
    return ("0" if hex_text[0] != "0" else "1") + hex_text[1:]


def _other_numbers(numbers: list[int]) -> list[int]:
    spare = next(n for n in range(1, 50) if n not in numbers)
    return sorted([*numbers[1:], spare])


def test_the_tool_uses_the_standard_library_only() -> None:
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    source = TOOL_PATH.read_text(encoding="utf-8")
    imported = {
        line.split()[1].split(".")[0] for line in source.splitlines() if line.startswith(("import ", "from "))
    }
    assert imported <= allowed


def test_the_production_code_reproduces_every_shared_vector() -> None:
    assert build() == _vectors()


def test_the_tree_rules_empty_odd_levels_and_domain_separation() -> None:
    assert merkle.ticket_root([]) == hashlib.sha256(b"").hexdigest() == _vectors()["empty_root"]
    three = merkle.ordered(tickets(3, 9))
    h = [merkle.leaf_hash(t.encoded()) for t in three]
    assert h[0] == hashlib.sha256(b"\x00" + three[0].encoded()).digest()
    # an odd node out moves up unchanged: root = node(node(l0, l1), l2)
    assert merkle.ticket_root(three) == merkle.node_hash(merkle.node_hash(h[0], h[1]), h[2]).hex()
    assert merkle.ticket_root([three[0]]) == h[0].hex()
    # a leaf is never hashed like a node of the same bytes
    assert merkle.leaf_hash(h[0] + h[1]) != merkle.node_hash(h[0], h[1])
    # the order the tickets are given in does not matter; every ticket does
    assert merkle.ticket_root(list(reversed(three))) == merkle.ticket_root(three)
    assert merkle.ticket_root(three[:2]) != merkle.ticket_root(three)


def test_the_leaf_encoding_is_canonical() -> None:
    leaf = merkle.TicketLeaf("ABCD-EFGH-IJKL-MNOP", ((9, 1, 5),), 250, 17)
    assert leaf.encoded() == b'{"draw":17,"lines":[[1,5,9]],"stake":250,"ticket":"ABCD-EFGH-IJKL-MNOP"}'
    assert tool.canonical_leaf(leaf.as_dict()) == leaf.encoded()


def test_the_verifier_passes_every_shared_draw_and_every_proof_of_every_tree() -> None:
    vectors = _vectors()
    for document in vectors["draws"]:
        assert [c.name for c in tool.verify(document)] == ["commitment", "numbers", "inclusion"]
        assert tool.failed(document) == []
    for tree in vectors["trees"]:
        for leaf in tree["leaves"]:
            assert tool.root_from_proof(leaf, tree["proofs"][leaf["ticket"]]) == tree["root"]


def _swap_side(step: dict[str, str]) -> None:
    step["side"] = "left" if step["side"] == "right" else "right"


ALTERATIONS: dict[str, tuple[Any, list[str]]] = {
    "seed": (lambda d, t, p: d.update(server_seed=_flip(d["server_seed"])), ["commitment", "numbers"]),
    "seed missing": (lambda d, t, p: d.update(server_seed=""), ["commitment", "numbers"]),
    "commitment": (lambda d, t, p: d.update(commitment=_flip(d["commitment"])), ["commitment"]),
    "root": (lambda d, t, p: d.update(ticket_root=_flip(d["ticket_root"])), ["numbers", "inclusion"]),
    "draw id": (lambda d, t, p: d.update(id=d["id"] + 1), ["numbers", "inclusion"]),
    "numbers": (lambda d, t, p: d.update(numbers=_other_numbers(d["numbers"])), ["numbers"]),
    "ticket stake": (lambda d, t, p: t.update(stake=t["stake"] + 1), ["inclusion"]),
    "ticket lines": (lambda d, t, p: t["lines"][0].__setitem__(0, 0), ["inclusion"]),
    "ticket number": (lambda d, t, p: t.update(ticket="AAAA-BBBB-CCCC-DDDD"), ["inclusion"]),
    "proof hash": (lambda d, t, p: p[0].update(hash=_flip(p[0]["hash"])), ["inclusion"]),
    "proof side": (lambda d, t, p: _swap_side(p[0]), ["inclusion"]),
    "proof step dropped": (lambda d, t, p: p.pop(), ["inclusion"]),
    "proof malformed": (lambda d, t, p: p[0].update(side="up"), ["inclusion"]),
}


@pytest.mark.parametrize("what", sorted(ALTERATIONS))
def test_the_verifier_names_the_check_an_altered_input_fails(what: str) -> None:
    document = _document()
    alter, expected = ALTERATIONS[what]
    alter(document["draw"], document["ticket"]["leaf"], document["ticket"]["proof"])
    assert tool.failed(document) == expected


def test_the_production_code_and_the_tool_agree_on_generated_draws() -> None:
    for draw_id, (pick, pool) in enumerate([(6, 49), (5, 35), (20, 80), (1, 2), (7, 7)] * 40, start=1):
        seed, root = rng.new_server_seed(), secrets.token_hex(32)
        numbers = lotto.draw_numbers(lotto.LottoRules(pick, pool, (), 1, 1), seed, root, draw_id)
        assert tool.derive_numbers(seed, root, draw_id, pick, pool) == numbers
    for size in (1, 2, 6, 17, 64, 100):
        leaves = tickets(size, size)
        root = merkle.ticket_root(leaves)
        for leaf in leaves[:: max(1, size // 7)]:
            steps = merkle.inclusion_proof(leaves, leaf.validation_number)
            proof = [{"side": s.side, "hash": s.hash} for s in steps]
            assert tool.root_from_proof(leaf.as_dict(), proof) == root
            assert merkle.root_from_proof(leaf.encoded(), steps) == root


def test_the_command_line_exits_0_1_or_2_and_names_the_failed_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    document = _document()
    good.write_text(json.dumps(document), encoding="utf-8")
    document["ticket"]["leaf"]["stake"] += 100
    bad.write_text(json.dumps(document), encoding="utf-8")
    assert tool.main([str(good)]) == 0
    assert tool.main([str(bad)]) == 1
    assert "failed: inclusion" in capsys.readouterr().err
    (tmp_path / "junk.json").write_text("not json", encoding="utf-8")
    assert tool.main([str(tmp_path / "junk.json")]) == 2
