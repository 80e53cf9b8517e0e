"""``kiosk seed``: fill the data dir with sample contributions (demos, training, benchmarks)."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli.common import EXIT_OK, EXIT_USAGE, CommandError, add_command, load, open_store


def cmd_seed(args: argparse.Namespace) -> int:
    from kiosk.core.seed import seed
    from kiosk.core.storage import DiskFullError, StoreError

    config = load(args, quiet_warnings=True)
    if args.ideas < 0 or args.drawings < 0:
        raise CommandError("--ideas and --drawings must not be negative", EXIT_USAGE)
    with open_store(args, config) as store:
        try:
            added = seed(store, config, ideas=args.ideas, drawings=args.drawings, random_seed=args.random_seed)
        except DiskFullError as exc:
            raise CommandError(f"the disk of {store.path.parent} is full ({exc}); no samples were added", EXIT_USAGE) from None
        except StoreError as exc:
            raise CommandError(f"{exc}; no samples were added", EXIT_USAGE) from None
        print(f"Added {added} sample contributions (marked as samples) to {store.path}")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    seed = add_command(sub, common, "seed", cmd_seed,
                       "fill the data dir with sample contributions (demos, training, benchmarks)")
    seed.add_argument("--ideas", type=int, default=50, metavar="N")
    seed.add_argument("--drawings", type=int, default=10, metavar="N")
    seed.add_argument("--random-seed", type=int, default=None, metavar="N", help="repeatable samples")
