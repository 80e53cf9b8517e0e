"""``kiosk hash-pin``: make the hash of a new staff PIN for kiosk.toml."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.cli.common import EXIT_OK, EXIT_USAGE, CommandError, add_command, read_secret


def cmd_hash_pin(args: argparse.Namespace) -> int:
    from kiosk.core.pin import hash_pin, validate_pin

    pin = read_secret("staff PIN (digits)", from_stdin=args.stdin).strip()
    problem = validate_pin(pin)
    if problem:
        raise CommandError(problem, EXIT_USAGE)
    digest = hash_pin(pin)
    print(digest)
    print(f'Put this into the [staff] section of kiosk.toml:\npin_hash = "{digest}"', file=sys.stderr)
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    hp = add_command(sub, common, "hash-pin", cmd_hash_pin, "make the hash of a new staff PIN for kiosk.toml")
    hp.add_argument("--stdin", action="store_true", help="read the PIN from standard input (the default when it is not a terminal)")
