"""``kiosk purge``: remove contributions the receiver verifiably has; VACUUM the database.

A thin shell: the work is in :mod:`kiosk.core.purge`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.cli.common import EXIT_FAILURE, EXIT_OK, add_command, load, open_store


def cmd_purge(args: argparse.Namespace) -> int:
    from kiosk.core.export import human_bytes
    from kiosk.core.purge import PurgeRefused, plan_purge, purge, refusal

    config = load(args, quiet_warnings=True)
    with open_store(args, config) as store:
        plan = plan_purge(store)
        print(f"Verified at the receiver (will be removed): {len(plan.safe)}")
        if plan.lost:
            print(refusal(plan))
        if args.dry_run:
            return EXIT_OK
        try:
            result = purge(store, confirm=args.confirm, plan=plan)
        except PurgeRefused:
            print("kiosk: nothing purged.", file=sys.stderr)
            return EXIT_FAILURE
    print(f"Purged {result.purged} contributions ({result.lost} of them not verified delivered); counts and "
          f"receipts kept; database {human_bytes(result.bytes_before)} -> {human_bytes(result.bytes_after)}.")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "purge", cmd_purge,
                    "remove contributions the receiver verifiably has; VACUUM the database")
    p.add_argument("--confirm", metavar="PHRASE",
                   help="purge although some are not verified delivered; the phrase names how many (LOSE <n>)")
    p.add_argument("--dry-run", action="store_true", help="only say what would be removed")
