"""`kerascheck server`: a language server for editors (LSP 3.17 on standard input and output).

Needs the `server` extra (`pip install 'kerascheck[server]'`: pygls and lsprotocol); the command
line itself never imports them.
"""

from __future__ import annotations

import argparse
import sys

MISSING = "kerascheck server needs pygls and lsprotocol: pip install 'kerascheck[server]'"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="kerascheck server",
        description="Run kerascheck's language server on standard input and output (LSP 3.17): diagnostics "
        "as you type, output shapes as inlay hints, explanations on hover, fixes as code actions.",
    )
    parser.add_argument("--stdio", action="store_true",
                        help="talk on standard input and output (the default, accepted for editors that pass it)")
    parser.parse_args(argv)
    try:
        from kerascheck.server.app import create_server
    except ImportError as e:
        if (e.name or "").split(".")[0] in ("pygls", "lsprotocol", "cattrs", "attrs"):
            print(MISSING, file=sys.stderr)
            return 2
        raise
    create_server().start_io()
    return 0
