"""`python -m casino_app.payments_sandbox --port 3010 --webhook-url http://127.0.0.1:3000/api/webhooks/sandbox`"""

from __future__ import annotations

import sys

import uvicorn

from casino_app.payments_sandbox.app import create_app
from casino_app.payments_sandbox.config import parse_args


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    print(f"Sandbox payment service on http://{config.host}:{config.port}", file=sys.stderr, flush=True)
    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level="warning", access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
