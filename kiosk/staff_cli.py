"""Staff commands for the ``kiosk`` CLI: export, verify-bundle, reconcile, purge.

Register them from ``kiosk/cli.py`` with ``add_staff_parsers(sub, common)``.
Each handler returns an exit code: 0 ok, 1 runtime failure or mismatch,
2 usage or configuration error. Thin shells: the work is in
``kiosk.core.export``, ``kiosk.core.reconcile`` and ``kiosk.core.purge``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def _progress(label: str):
    state = {"last": -1}

    def report(done: int, total: int) -> None:
        pct = 100 * done // max(total, 1)
        if pct != state["last"] and sys.stderr.isatty():
            state["last"] = pct
            print(f"\r{label} {done}/{total} ({pct}%)", end="", file=sys.stderr, flush=True)

    return report


def cmd_export(args: argparse.Namespace) -> int:
    from kiosk.cli import load, open_store
    from kiosk.core.export import ExportError, export_store, human_bytes, verify_bundle

    config = load(args, quiet_warnings=True)
    with open_store(args, config) as store:
        try:
            result = export_store(store, config, Path(args.out), progress=_progress("Exporting"))
        except ExportError as exc:
            print(f"\nkiosk: {exc}", file=sys.stderr)
            return EXIT_FAILURE
    if sys.stderr.isatty():
        print(file=sys.stderr)
    report = verify_bundle(result.path)
    print(f"Wrote {result.items} contributions ({result.ideas} ideas, {result.drawings} drawings; "
          f"{result.withheld} withheld, {result.samples} samples, marked), {result.files} files, "
          f"{human_bytes(result.bytes)} to {result.path}")
    if not report.ok:
        print("kiosk: the bundle does NOT verify: " + "; ".join(report.problems[:5]), file=sys.stderr)
        return EXIT_FAILURE
    print(f"Verified: all {report.files} files and every count match the manifest.")
    return EXIT_OK


def cmd_verify_bundle(args: argparse.Namespace) -> int:
    from kiosk.core.export import human_bytes, verify_bundle

    path = Path(args.path)
    if not path.is_file():
        print(f"kiosk: {path} is not a file", file=sys.stderr)
        return EXIT_USAGE
    report = verify_bundle(path)
    if report.ok:
        c = report.counts
        print(f"{path}: OK: {c['submissions']} contributions ({c['ideas']} ideas, {c['drawings']} drawings), "
              f"{report.files} files, {human_bytes(report.bytes)}; every digest and count matches.")
        return EXIT_OK
    for problem in report.problems:
        print(f"{path}: {problem}", file=sys.stderr)
    print(f"{path}: FAILED ({len(report.problems)} problem(s))", file=sys.stderr)
    return EXIT_FAILURE


def cmd_reconcile(args: argparse.Namespace) -> int:
    from kiosk.cli import load, open_store
    from kiosk.core.reconcile import ReceiverClient, ReconcileError, format_report, reconcile

    config = load(args, quiet_warnings=True)
    try:
        client = ReceiverClient.from_config(config)
        with open_store(args, config) as store:
            report = reconcile(store, client.receipt, progress=_progress("Asking the receiver"))
    except ReconcileError as exc:
        print(f"\nkiosk: {exc}", file=sys.stderr)
        return exc.code
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(format_report(report))
    return report.exit_code


def cmd_purge(args: argparse.Namespace) -> int:
    from kiosk.cli import load, open_store
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


def add_staff_parsers(sub, common: argparse.ArgumentParser) -> None:
    """Register ``export``, ``verify-bundle``, ``reconcile`` and ``purge`` on ``sub``."""

    def add(name: str, func, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    p = add("export", cmd_export, "write every contribution into one verified ZIP bundle (USB export)")
    p.add_argument("--out", required=True, metavar="PATH",
                   help="a folder (a name is made up) or a .zip path; never overwritten")
    p = add("verify-bundle", cmd_verify_bundle, "check every digest and count of an export bundle")
    p.add_argument("path", metavar="PATH")
    add("reconcile", cmd_reconcile, "ask the receiver for the receipt of every contribution held here")
    p = add("purge", cmd_purge, "remove contributions the receiver verifiably has; VACUUM the database")
    p.add_argument("--confirm", metavar="PHRASE",
                   help="purge although some are not verified delivered; the phrase names how many (LOSE <n>)")
    p.add_argument("--dry-run", action="store_true", help="only say what would be removed")
