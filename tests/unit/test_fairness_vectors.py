"""The Python outcome code and the browser verifier (assets/verifier.js) agree on shared vectors.

tests/fixtures/fairness_vectors.json is frozen: it is what every past round is verified
against. The Python side recomputes it from the domain modules; the JavaScript side runs the
verifier under Node (when Node is installed) on the same file, and must also reject a round
whose recorded win was altered.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from casino_app.domain.games import fairness, rng
from tests.fixtures.make_fairness_vectors import build

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "fixtures" / "fairness_vectors.json"
VERIFIER = ROOT / "assets" / "verifier.js"
NODE_CHECK = r"""
const V = require(process.argv[1]);
const vec = require(process.argv[2]);
const fails = [];
const hex = (a) => V.toHex(Uint8Array.from(a));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
for (const h of vec.hmac) {
  const digest = V.toHex(V.hmacSha256(V.fromHex(h.key), V.utf8(h.message)));
  if (digest !== h.digest) fails.push(["hmac", h.message]);
}
for (const c of vec.commitments) {
  if (V.commitment(c.seed) !== c.commitment) fails.push(["commitment", c.seed]);
}
for (const s of vec.streams) {
  const st = V.roundStream(s.seed, s.client_seed, s.nonce);
  const got = hex(Array.from({ length: s.bytes.length / 2 }, () => st.next()));
  if (got !== s.bytes) fails.push(["stream", s.client_seed]);
}
for (const u of vec.uniform) {
  const st = V.byteStream(u.seed, u.message);
  if (!same(u.values.map(() => V.uniformInt(st, u.upper)), u.values)) fails.push(["uniform", u.upper]);
}
let verified = 0;
for (const r of vec.rounds) {
  const res = V.verifyRound(r);
  if (res.ok) verified++;
  else fails.push(["round", r.game, r.nonce, res.checks.filter((c) => !c[1])]);
  const altered = Object.assign({}, r, { win: r.win + 1 });
  if (V.verifyRound(altered).ok) fails.push(["altered win accepted", r.game, r.nonce]);
  const wrongSeed = Object.assign({}, r, { commitment: "00".repeat(32) });
  if (V.verifyRound(wrongSeed).ok) fails.push(["wrong commitment accepted", r.game]);
}
console.log(JSON.stringify({ fails, verified }));
"""


def _vectors() -> dict:
    return json.loads(VECTORS.read_text(encoding="utf-8"))


def test_the_python_outcome_code_reproduces_every_shared_vector() -> None:
    """A changed mapping would change past rounds' verification: regenerate only on purpose."""
    assert build() == _vectors()


def test_the_vectors_cover_hmac_streams_every_game_and_a_free_spins_round() -> None:
    vec = _vectors()
    for h in vec["hmac"]:
        assert (
            hmac.new(bytes.fromhex(h["key"]), h["message"].encode(), hashlib.sha256).hexdigest()
            == h["digest"]
        )
    assert all(rng.commitment(c["seed"]) == c["commitment"] for c in vec["commitments"])
    games = {r["game"] for r in vec["rounds"]}
    assert games == {"dice", "roulette", "slot"}
    assert any(len(r["outcome"].get("spins", [])) > 1 for r in vec["rounds"])
    assert any(not r["client_seed"].isascii() for r in vec["rounds"])
    for r in vec["rounds"]:
        assert fairness.seed_matches(r["server_seed"], r["commitment"])


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_the_browser_verifier_agrees_on_every_vector_and_rejects_altered_rounds() -> None:
    out = subprocess.run(
        ["node", "-e", NODE_CHECK, str(VERIFIER), str(VECTORS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(out.stdout)
    assert result["fails"] == []
    assert result["verified"] == len(_vectors()["rounds"])
