"""The ``kiosk`` command: run the kiosk and the staff/IT tools.

One module per command (or command group), each with a ``register(sub, common)``
that adds its parser; what they share (exit codes, errors, the common options,
config and store, progress) is in :mod:`kiosk.cli.common`. Each handler is a
thin shell around a function that lives with its data.

Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.cli import (check, content, demo, export, pin, purge, receiver, reconcile, run, seed, stats, sync,
                       terminal)
from kiosk.cli.common import EXIT_FAILURE, CommandError, common_options

log = logging.getLogger("kiosk.cli")

COMMANDS = (run, check, stats, pin, seed, export, reconcile, purge, sync, receiver, demo, terminal, content)
"""In the order ``kiosk --help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    top_common = common_options(for_subcommand=False)
    common = common_options(for_subcommand=True)
    parser = argparse.ArgumentParser(prog="kiosk", parents=[top_common],
                                     description="Smart-City-Fest participation kiosk.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--windowed", action="store_true", help="run in a window (development)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        command.register(sub, common)
    parser.set_defaults(func=run.cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.verbose or args.command not in (None, "run"):
        logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                            format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except CommandError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("kiosk: interrupted", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, details in the log
        log.exception("unexpected error")
        print(f"kiosk: unexpected error: {exc.__class__.__name__}: {exc} (details in the log)", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
