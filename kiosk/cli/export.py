"""``kiosk export`` and ``kiosk verify-bundle``: the USB export bundle, written and checked.

Thin shells: the work is in :mod:`kiosk.core.export`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, add_command, load, open_store, percent_progress


def cmd_export(args: argparse.Namespace) -> int:
    from kiosk.core.export import ExportError, export_store, human_bytes, verify_bundle

    config = load(args, quiet_warnings=True)
    with open_store(args, config) as store:
        try:
            result = export_store(store, config, Path(args.out), progress=percent_progress("Exporting"))
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
    from kiosk.core.export import BundleLimits, human_bytes, verify_bundle

    path = Path(args.path)
    if not path.is_file():
        print(f"kiosk: {path} is not a file", file=sys.stderr)
        return EXIT_USAGE
    limits = BundleLimits() if args.max_blob_bytes is None else BundleLimits(max_blob_bytes=args.max_blob_bytes)
    if limits.max_blob_bytes <= 0:
        print("kiosk: --max-blob-bytes must be positive", file=sys.stderr)
        return EXIT_USAGE
    report = verify_bundle(path, limits)
    if report.ok:
        c = report.counts
        print(f"{path}: OK: {c['submissions']} contributions ({c['ideas']} ideas, {c['drawings']} drawings), "
              f"{report.files} files, {human_bytes(report.bytes)}; every digest and count matches.")
        return EXIT_OK
    for problem in report.problems:
        print(f"{path}: {problem}", file=sys.stderr)
    print(f"{path}: FAILED ({len(report.problems)} problem(s)); nothing in it can be trusted as it is",
          file=sys.stderr)
    return EXIT_USAGE


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(sub, common, "export", cmd_export,
                    "write every contribution into one verified ZIP bundle (USB export)")
    p.add_argument("--out", required=True, metavar="PATH",
                   help="a folder (a name is made up) or a .zip path; never overwritten")
    p = add_command(sub, common, "verify-bundle", cmd_verify_bundle,
                    "check every digest and count of an export bundle (exit 2 when it fails)")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--max-blob-bytes", type=int, default=None, metavar="N",
                   help="refuse a drawing larger than this (default: the receiver's default, 8 MiB)")
