"""The game-neutral stake against an earlier commit's bet hot path, side by side in one run.

Usage:
    .venv/bin/python bench/compare_engine.py --baseline 688462c            # PostgreSQL, 8 workers
    .venv/bin/python bench/compare_engine.py --baseline 688462c --engine sqlite --workers 8

The baseline commit's tree is extracted from git into a temporary directory; each round runs
its `bench/ledger.py` bet workload (8 house shards) and then ours on a fresh database with the
same wallets, workers and duration; odd rounds run the baseline first, even rounds ours first, so
that neither always runs on the warmer (or the more loaded) machine. It prints
every round and the median ratio ours/baseline. This is not a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run inside a checkout (ours or the baseline's): one bet workload, its Result as JSON.
_RUNNER = """
import json, sys
from dataclasses import asdict
sys.path.insert(0, {root!r})
from bench import ledger as L
new = hasattr(L, "workloads")
url = (L.fresh_database if not new else L.fresh_database)({engine!r})
ctx = L.seed(url, {wallets})
if new:
    from bench import workloads as W
    from bench.load import run_load
    run_load(url, "warm-up", lambda: W.op_bet("warm"), 4, {wallets}, 2.0, W.warm_caches)
    result = run_load(url, "bet", lambda: W.op_bet(), {workers}, {wallets}, {seconds}, W.warm_caches)
else:
    L.run_load(url, "warm-up", lambda: L.op_bet(ctx, 8, "warm"), 4, {wallets}, 2.0)
    result = L.run_load(url, "bet", lambda: L.op_bet(ctx, 8), {workers}, {wallets}, {seconds})
print("RESULT " + json.dumps({{**asdict(result), "rate": result.rate}}))
"""


def extract(ref: str) -> Path:
    """The tree of `ref` in a temporary directory (nothing of it is kept in the repository)."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True).stdout
    target = Path(tempfile.mkdtemp(prefix="casino-baseline-"))
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def run(tree: Path, engine: str, workers: int, seconds: float, wallets: int) -> dict[str, float]:
    code = _RUNNER.format(root=str(tree), engine=engine, workers=workers, seconds=seconds, wallets=wallets)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tree, check=True, capture_output=True, text=True, timeout=900
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, float] = json.loads(line.removeprefix("RESULT "))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="the git ref of the hot path to compare with")
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--wallets", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    baseline = extract(args.baseline)
    try:
        return _compare(args, baseline)
    finally:
        shutil.rmtree(baseline, ignore_errors=True)


def _compare(args: argparse.Namespace, baseline: Path) -> int:
    print(
        f"# place_stake vs {args.baseline}: {args.engine}, {args.workers} workers, {args.seconds:g} s x {args.rounds}"
    )
    print("| round | baseline bets/s | p99 ms | ours bets/s | p99 ms | ours/baseline |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    ratios = []
    for n in range(1, args.rounds + 1):
        trees = {"old": baseline, "ours": ROOT}
        order = ("old", "ours") if n % 2 else ("ours", "old")
        done = {
            name: run(trees[name], args.engine, args.workers, args.seconds, args.wallets) for name in order
        }
        old, ours = done["old"], done["ours"]
        ratios.append(ours["rate"] / old["rate"])
        print(
            f"| {n} | {old['rate']:,.0f} | {old['p99']:.2f} | {ours['rate']:,.0f} | {ours['p99']:.2f} "
            f"| {ratios[-1]:.2f}x |"
        )
    print(f"\nmedian ours/baseline: {statistics.median(ratios):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
