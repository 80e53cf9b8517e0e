"""``kiosk sync``: deliver everything pending now, with progress and a summary.

Exit codes: 0 nothing left, 1 something remains or failed, 2 configuration or auth problems.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import Any, TextIO

from kiosk.cli.common import (EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CommandError, Progress, add_command, data_dir,
                              load, open_store)
from sync.protocol import Outcome


def format_summary(report: Any) -> str:
    lines = [f"Delivered: {report.delivered} new, {report.already_there} already on the receiver."]
    if report.failed:
        lines.append(f"Failed: {len(report.failed)} (kept on this kiosk; `kiosk sync --retry-failed` tries again):")
        lines += [f"  {sid}  {reason}" for sid, reason in report.failed]
    lines.append(f"Still pending: {report.remaining}.")
    if report.error:
        lines.append(f"Stopped: {report.error}")
    return "\n".join(lines)


def exit_code(report: Any) -> int:
    if report.stopped_by is Outcome.AUTH:
        return EXIT_USAGE
    return EXIT_FAILURE if report.remaining else EXIT_OK


def run_sync(store: Any, sync_config: Any, data_dir: Path | None, *, out: TextIO | None = None,
             err: TextIO | None = None, retry_failed: bool = False) -> int:
    """Deliver everything pending from *store*; print progress to *err*, the summary to *out*.

    Args:
        sync_config: a :class:`kiosk.core.config.SyncConfig` (or anything with its fields).
    """
    from sync.client import SyncClient, SyncConfigError

    out = out or sys.stdout
    err = err or sys.stderr
    try:
        client = SyncClient.from_config(store, sync_config, data_dir)
    except SyncConfigError as exc:
        print(f"kiosk sync: {exc}", file=err)
        return EXIT_USAGE
    stop = threading.Event()
    try:
        if retry_failed:
            print(f"{store.reset_failed()} failed submission(s) will be tried again.", file=err)
        total = int(store.stats().by_state.get("pending", 0))
        progress = Progress(total, err)
        try:
            report = client.sync_pending(progress=progress, should_stop=stop.is_set)
        except KeyboardInterrupt:
            stop.set()
            print("\nkiosk sync: interrupted; what was delivered is recorded.", file=err)
            return EXIT_FAILURE
        if total:
            progress.finish(report.done)
    finally:
        client.close()
    print(format_summary(report), file=out)
    return exit_code(report)


def cmd_sync(args: argparse.Namespace) -> int:
    config = load(args, quiet_warnings=True)
    if not config.sync.endpoint:
        raise CommandError("sync is not configured: set [sync] endpoint and token_file in kiosk.toml", EXIT_USAGE)
    directory = data_dir(args, config)
    with open_store(args, config) as store:
        return run_sync(store, config.sync, directory, retry_failed=args.retry_failed)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "sync", cmd_sync,
                    "deliver pending contributions to the receiver now (exit 0: none left, 1: some left, 2: config/auth)")
    p.add_argument("--retry-failed", action="store_true",
                   help="first put failed contributions back in the queue (after the cause is fixed)")
