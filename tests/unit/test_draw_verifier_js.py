"""The browser draw verifier (assets/draw-verifier.js) and tools/verify_draw.py agree on everything.

Both implement docs/FAIRNESS.md's draw protocol. Under Node (its Web Crypto, as in a browser)
the JavaScript must reproduce every shared vector of tests/fixtures/draw_vectors.json (leaf
encodings, leaf hashes, every proof of every tree, every draw), recompute the numbers of
generated draws as the production code does, and name exactly the checks the Python tool names
for every altered seed, commitment, root, draw id, numbers, ticket and proof.
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from casino_app.domain.games import lotto, merkle, rng
from tests.fixtures.make_draw_vectors import tickets
from tests.unit.test_draw_verifier import ALTERATIONS, VECTORS, _document, _vectors, tool

ROOT = Path(__file__).resolve().parents[2]
VERIFIER = ROOT / "assets" / "draw-verifier.js"
NODE_RUN = r"""
const V = require(process.argv[1]);
const job = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const vec = job.vectors;
(async () => {
  const fails = [];
  const empty = V.toHex(await V.sha256(new Uint8Array(0)));
  if (empty !== vec.empty_root) fails.push(["empty root", empty]);
  for (const tree of vec.trees) {
    for (let i = 0; i < tree.leaves.length; i++) {
      const leaf = tree.leaves[i];
      if (V.canonicalLeaf(leaf) !== tree.encoded[i]) fails.push(["encoding", leaf.ticket]);
      if (V.toHex(await V.leafHash(leaf)) !== tree.leaf_hashes[i]) fails.push(["leaf hash", leaf.ticket]);
      const root = await V.rootFromProof(leaf, tree.proofs[leaf.ticket]);
      if (root !== tree.root) fails.push(["proof", tree.leaves.length, leaf.ticket]);
    }
  }
  const verified = [];
  for (const doc of vec.draws) verified.push(await V.verify(doc));
  const named = [], checked = [];
  for (const doc of job.documents) {
    named.push(await V.failed(doc));
    checked.push(await V.verify(doc));
  }
  const derived = [];
  for (const d of job.derive) derived.push(await V.deriveNumbers(d.seed, d.root, d.id, d.pick, d.pool));
  console.log(JSON.stringify({ fails, verified, named, checked, derived }));
})().catch((err) => { console.error(err); process.exit(3); });
"""
# Node comes with npm, which `make` needs to install bun: its absence is a broken machine, not a skip.
needs_node = pytest.mark.usefixtures("node")


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("Node is required (it comes with npm, which installs bun for Reflex)")
    return found


def _altered() -> dict[str, dict[str, Any]]:
    out = {}
    for what, (alter, _expected) in ALTERATIONS.items():
        document = _document()
        alter(document["draw"], document["ticket"]["leaf"], document["ticket"]["proof"])
        out[what] = document
    malformed = _document()
    malformed["draw"]["server_seed"] = "not hex"
    out["seed not hex"] = malformed
    other_draw = _document()
    other_draw["ticket"]["leaf"]["draw"] += 1
    out["ticket of another draw"] = other_draw
    no_leaf = _document()
    no_leaf["ticket"]["leaf"] = None
    out["leaf missing"] = no_leaf
    return out


def _derive_jobs() -> list[dict[str, Any]]:
    jobs = []
    for draw_id, (pick, pool) in enumerate([(6, 49), (5, 35), (20, 80), (1, 2), (7, 7)] * 6, start=1):
        jobs.append(
            {
                "seed": rng.new_server_seed(),
                "root": secrets.token_hex(32),
                "id": draw_id,
                "pick": pick,
                "pool": pool,
            }
        )
    return jobs


def _run_node(
    tmp_path: Path, documents: list[dict[str, Any]], derive: list[dict[str, Any]]
) -> dict[str, Any]:
    job = tmp_path / "job.json"
    job.write_text(
        json.dumps({"vectors": _vectors(), "documents": documents, "derive": derive}), encoding="utf-8"
    )
    out = subprocess.run(
        ["node", "-e", NODE_RUN, str(VERIFIER), str(job)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@needs_node
def test_the_browser_verifier_reproduces_every_shared_vector_and_passes_every_draw(tmp_path: Path) -> None:
    result = _run_node(tmp_path, [], [])
    assert result["fails"] == []
    assert len(result["verified"]) == len(_vectors()["draws"]) == 12
    for checks, document in zip(result["verified"], _vectors()["draws"], strict=True):
        python = tool.verify(document)
        assert [(c["name"], c["ok"]) for c in checks] == [(c.name, c.ok) for c in python]
        assert [c["name"] for c in checks] == ["commitment", "numbers", "inclusion"]
        assert all(c["ok"] for c in checks)
        assert checks[1]["detail"] == python[1].detail  # "recomputed [..]": the same numbers


@needs_node
def test_the_browser_verifier_names_the_check_an_altered_input_fails_as_the_python_tool_does(
    tmp_path: Path,
) -> None:
    altered = _altered()
    result = _run_node(tmp_path, list(altered.values()), [])
    for (what, document), js_failed in zip(altered.items(), result["named"], strict=True):
        assert js_failed == tool.failed(document), what
        assert js_failed, what  # nothing altered passes
    named = dict(zip(altered, result["named"], strict=True))
    assert named["seed"] == ["commitment", "numbers"]
    assert named["root"] == ["numbers", "inclusion"]
    assert named["ticket stake"] == named["proof hash"] == ["inclusion"]
    # Pages say why in their own language: the reason and the computed value, never English.
    reasons = {
        what: {c["name"]: c["reason"] for c in checks}
        for what, checks in zip(altered, result["checked"], strict=True)
    }
    assert reasons["seed missing"]["commitment"] == reasons["seed missing"]["numbers"] == "not_revealed"
    assert reasons["proof malformed"]["inclusion"] == reasons["leaf missing"]["inclusion"] == "malformed"
    assert reasons["ticket of another draw"]["inclusion"] == "other_draw"
    seed_checks = {c["name"]: c for c in result["checked"][list(altered).index("seed")]}
    assert (
        seed_checks["commitment"]["value"]
        == hashlib.sha256(bytes.fromhex(altered["seed"]["draw"]["server_seed"])).hexdigest()
    )
    assert seed_checks["commitment"]["reason"] == ""


@needs_node
def test_the_browser_verifier_derives_the_numbers_the_production_code_draws(tmp_path: Path) -> None:
    jobs = _derive_jobs()
    result = _run_node(tmp_path, [], jobs)
    for job, numbers in zip(jobs, result["derived"], strict=True):
        rules = lotto.LottoRules(job["pick"], job["pool"], (), 1, 1)
        assert numbers == lotto.draw_numbers(rules, job["seed"], job["root"], job["id"])


@needs_node
def test_a_draw_without_a_ticket_runs_two_checks_and_a_leaf_with_odd_text_encodes_as_python(
    tmp_path: Path,
) -> None:
    document = copy.deepcopy(_document())
    del document["ticket"]
    leaf = merkle.TicketLeaf('AB"\\CD\x7f\t', ((3, 1, 2),), 5, 1)  # escaped as Python escapes
    root = merkle.ticket_root([leaf, *tickets(2, 1)])
    steps = merkle.inclusion_proof([leaf, *tickets(2, 1)], leaf.validation_number)
    odd = {
        "draw": {**_document()["draw"], "id": 1, "ticket_root": root},
        "ticket": {"leaf": leaf.as_dict(), "proof": [{"side": s.side, "hash": s.hash} for s in steps]},
    }
    result = _run_node(tmp_path, [document, odd], [])
    assert result["named"][0] == tool.failed(document) == []
    # The numbers fail (another root and id than the seed was drawn for), the inclusion holds.
    assert result["named"][1] == tool.failed(odd) == ["numbers"]
    assert VECTORS.exists()
