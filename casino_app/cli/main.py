"""`python -m casino_app ...`: operations from the shell, through the same services.

`main()` builds the process's one wiring and hands it to the chosen command as
`fn(args, wiring)`; the shell acts as `Actor.system("cli")`.
"""

from __future__ import annotations

import argparse
import sys

from casino_app import bootstrap
from casino_app.cli import demo, draws, ledger, operators, rng, security
from casino_app.domain.errors import DomainError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m casino_app")
    sub = parser.add_subparsers(dest="command", required=True)
    for area in (demo, draws, ledger, operators, rng, security):
        area.register(sub)
    return parser


def main(argv: list[str] | None = None, wiring: bootstrap.Wiring | None = None) -> int:
    args = build_parser().parse_args(argv)
    wiring = wiring or bootstrap.build()
    try:
        return int(args.fn(args, wiring))
    except DomainError as err:
        print(f"error: {err.message}", file=sys.stderr)
        return 2
    finally:
        wiring.dispose()


if __name__ == "__main__":
    sys.exit(main())
