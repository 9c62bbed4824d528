"""Run localstripe's aiohttp app on 127.0.0.1 only, on a port the OS picks; print the port.

`python -m tests.payments.stripe.localstripe_server` (the fixture in conftest.py starts it).
localstripe's own `start()` binds every interface and pickles its store to /tmp after every
write; this launcher binds the loopback address and keeps the store in memory.
"""

from __future__ import annotations

import socket
import sys

from aiohttp import web
from localstripe import resources, server


def main() -> None:
    resources.Store.dump_to_disk = lambda self: None  # type: ignore[method-assign]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    web.run_app(server.app, sock=sock, print=None, access_log=None, handle_signals=True)


if __name__ == "__main__":
    sys.exit(main())
