"""``kiosk reconcile``: ask the receiver for the receipt of every contribution held here.

A thin shell: the work is in :mod:`kiosk.core.reconcile`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.cli.common import add_command, load, open_store, percent_progress


def cmd_reconcile(args: argparse.Namespace) -> int:
    from kiosk.core.reconcile import ReceiverClient, ReconcileError, format_report, reconcile

    config = load(args, quiet_warnings=True)
    try:
        client = ReceiverClient.from_config(config)
        with open_store(args, config) as store:
            report = reconcile(store, client.receipt, progress=percent_progress("Asking the receiver"))
    except ReconcileError as exc:
        print(f"\nkiosk: {exc}", file=sys.stderr)
        return exc.code
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(format_report(report))
    return report.exit_code


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    add_command(sub, common, "reconcile", cmd_reconcile,
                "ask the receiver for the receipt of every contribution held here")
