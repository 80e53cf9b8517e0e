"""Command-line entry points of the sync package, registered by ``kiosk/cli.py``.

- ``kiosk sync``: deliver everything pending now, with progress and a summary.
- ``kiosk receiver``: run the receiver; ``add-token``, ``set-staff-password``.
- ``kiosk demo``: a local receiver with a fresh token, and the kiosk against it.

Each ``add_*_parser(subparsers, common)`` adds one command whose ``func``
takes the parsed arguments and returns the exit code: 0 ok, 1 something
remains or failed at run time, 2 usage, configuration or auth problems.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import logging
import secrets
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from sync.protocol import Limits, Outcome

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

DEMO_TOKEN_FILE = "sync.token"
DEMO_INTERVAL_S = 2.0
"""The demo's receiver is local: check often, so a newcomer sees the loop at once."""


# ------------------------------------------------------------------ kiosk sync

class Progress:
    """A one-line progress bar on a terminal, sparse plain lines otherwise."""

    def __init__(self, total: int, stream: TextIO, width: int = 30) -> None:
        self.total = total
        self.stream = stream
        self.width = width
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self._last = 0.0

    def __call__(self, report: Any) -> None:
        now = time.monotonic()
        if now - self._last < (0.1 if self.tty else 2.0):
            return
        self._last = now
        self.show(report.done)

    def show(self, done: int) -> None:
        total = max(self.total, done, 1)
        filled = int(self.width * done / total)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {done}/{total}"
        if self.tty:
            self.stream.write("\r" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self, done: int) -> None:
        self.show(done)
        if self.tty:
            self.stream.write("\n")
        self.stream.flush()


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
    from kiosk.cli import CommandError, data_dir, load, open_store

    config = load(args, quiet_warnings=True)
    if not config.sync.endpoint:
        raise CommandError("sync is not configured: set [sync] endpoint and token_file in kiosk.toml", EXIT_USAGE)
    directory = data_dir(args, config)
    with open_store(args, config) as store:
        return run_sync(store, config.sync, directory, retry_failed=args.retry_failed)


def add_sync_parser(subparsers: Any, common: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    help_ = "deliver pending contributions to the receiver now (exit 0: none left, 1: some left, 2: config/auth)"
    p = subparsers.add_parser("sync", parents=[common] if common else [], help=help_, description=help_)
    p.add_argument("--retry-failed", action="store_true",
                   help="first put failed contributions back in the queue (after the cause is fixed)")
    p.set_defaults(func=cmd_sync)
    return p


# -------------------------------------------------------------- kiosk receiver

def _receiver_dir(args: argparse.Namespace) -> Path:
    from kiosk.cli import CommandError

    if not args.data_dir:
        raise CommandError("the receiver needs --data-dir DIR (where it keeps what kiosks deliver)", EXIT_USAGE)
    return Path(args.data_dir).expanduser()


def cmd_receiver(args: argparse.Namespace) -> int:
    from kiosk.cli import CommandError
    from sync.receiver import ReceiverSettings, serve
    from sync.receiver.server import TLSFiles
    from sync.receiver.auth import STAFF_PASSWORD_FILE, TOKENS_FILE, read_token_hashes

    directory = _receiver_dir(args)
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        raise CommandError("give both --ssl-certfile and --ssl-keyfile, or neither", EXIT_USAGE)
    limits = Limits(max_blob_bytes=args.max_blob_bytes, max_json_bytes=args.max_json_bytes,
                    max_text_chars=args.max_text_chars)
    if min(dataclasses.astuple(limits)) <= 0:
        raise CommandError("limits must be positive", EXIT_USAGE)
    tls = TLSFiles(args.ssl_certfile, args.ssl_keyfile) if args.ssl_certfile else None
    from sync.protocol import is_loopback_host

    if tls is None and not is_loopback_host(args.host):
        print("kiosk receiver: warning: serving plain HTTP on a network address; put it behind a "
              "TLS reverse proxy or give --ssl-certfile/--ssl-keyfile", file=sys.stderr)
    directory.mkdir(parents=True, exist_ok=True)
    if not read_token_hashes(directory / TOKENS_FILE):
        print("kiosk receiver: no kiosk tokens yet; add one with `kiosk receiver add-token KIOSK_ID`",
              file=sys.stderr)
    if not (directory / STAFF_PASSWORD_FILE).is_file():
        print("kiosk receiver: no staff password yet; the staff page stays closed until "
              "`kiosk receiver set-staff-password`", file=sys.stderr)
    logging.getLogger("sync").setLevel(logging.INFO)
    titles_from = _check_bundle_options(args)
    serve(ReceiverSettings(directory, limits, name=args.name, titles_from=titles_from),
          host=args.host, port=args.port, tls=tls)
    return EXIT_OK


def _check_bundle_options(args: argparse.Namespace) -> Path | None:
    """``--name`` and ``--titles-from``, checked before anything starts; the kiosk.toml's path."""
    from kiosk.cli import CommandError
    from kiosk.core.config import ConfigError
    from sync.receiver.staff import is_slug, load_titles

    if not is_slug(args.name):
        raise CommandError(f"--name {args.name!r}: use letters, digits, '.', '_' or '-' "
                           "(it goes into the bundle's file name)", EXIT_USAGE)
    if args.titles_from is None:
        return None
    path = Path(args.titles_from).expanduser()
    try:
        load_titles(path)
    except (ConfigError, OSError) as exc:
        raise CommandError(f"--titles-from {path}: {exc}", EXIT_USAGE) from None
    return path


def cmd_receiver_export(args: argparse.Namespace) -> int:
    """``kiosk receiver export --out PATH``: what ``/staff/export.zip`` downloads, as a file."""
    from kiosk.cli import CommandError
    from kiosk.core.export import ExportError
    from sync.receiver.staff import BundleSourceError, export_bundle, load_titles
    from sync.receiver.storage import DB_NAME, ReceiverStore

    directory = _receiver_dir(args)
    if not (directory / DB_NAME).is_file():
        raise CommandError(f"{directory} holds no receiver data ({DB_NAME} is missing)", EXIT_USAGE)
    titles_from = _check_bundle_options(args)
    store = ReceiverStore(directory, clean_tmp=False)  # the receiver may be running beside us
    try:
        result = export_bundle(store, Path(args.out).expanduser(), name=args.name, titles=load_titles(titles_from))
    except (ExportError, BundleSourceError) as exc:
        raise CommandError(str(exc)) from None
    finally:
        store.close()
    print(f"Wrote {result.items} submissions ({result.ideas} ideas, {result.drawings} drawings), "
          f"{result.files} files, {result.bytes} bytes to {result.path}", file=sys.stderr)
    print(result.path)
    return EXIT_OK


def cmd_add_token(args: argparse.Namespace) -> int:
    from kiosk.cli import CommandError
    from sync.receiver import add_token

    try:
        token = add_token(_receiver_dir(args), args.kiosk_id)
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    print(token)
    print(f"This is the token of kiosk '{args.kiosk_id}'; it is shown only now. Put it into the kiosk's "
          "token file ([sync] token_file). Any older token of this kiosk no longer works.", file=sys.stderr)
    return EXIT_OK


def cmd_set_staff_password(args: argparse.Namespace) -> int:
    from kiosk.cli import CommandError
    from sync.receiver import set_staff_password

    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("New staff password for the receiver: ")
        if getpass.getpass("Repeat it: ") != password:
            raise CommandError("the two passwords differ; nothing changed", EXIT_USAGE)
    try:
        set_staff_password(_receiver_dir(args), password)
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    print("Staff password set (stored as an argon2 hash).", file=sys.stderr)
    return EXIT_OK


def _bundle_options(*, for_subcommand: bool) -> argparse.ArgumentParser:
    """--name and --titles-from, before or after ``export`` (its defaults suppressed, so that
    ``kiosk receiver --name X export`` keeps X; own actions, as set_defaults would share them)."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--name", default=argparse.SUPPRESS if for_subcommand else "receiver", metavar="NAME",
                         help="the kiosk_id in the manifest of the bundle download (default: receiver)")
    options.add_argument("--titles-from", default=argparse.SUPPRESS if for_subcommand else None,
                         metavar="KIOSK_TOML", help="label ideas.csv in the bundle with the topic titles of "
                                                    "this kiosk config (default: none, ids only)")
    return options


def add_receiver_parser(subparsers: Any, common: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    parents = [common] if common else []
    help_ = "run the receiver the kiosks deliver to (the city's side)"
    p = subparsers.add_parser("receiver", parents=[*parents, _bundle_options(for_subcommand=False)],
                              help=help_, description=help_)
    d = Limits()
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8443, help="port (default: 8443)")
    p.add_argument("--ssl-certfile", metavar="PEM", help="serve HTTPS with this certificate (chain)")
    p.add_argument("--ssl-keyfile", metavar="PEM", help="... and this private key")
    p.add_argument("--max-blob-bytes", type=int, default=d.max_blob_bytes, metavar="N")
    p.add_argument("--max-json-bytes", type=int, default=d.max_json_bytes, metavar="N")
    p.add_argument("--max-text-chars", type=int, default=d.max_text_chars, metavar="N")
    p.set_defaults(func=cmd_receiver)
    sub = p.add_subparsers(dest="receiver_command", metavar="SUBCOMMAND")
    # No parents here: a sub-subparser's defaults would overwrite a --data-dir given before it.
    nested = argparse.ArgumentParser(add_help=False)
    nested.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="the receiver's data dir")
    t = sub.add_parser("add-token", parents=[nested], help="make a new token for a kiosk and print it once")
    t.add_argument("kiosk_id")
    t.set_defaults(func=cmd_add_token)
    s = sub.add_parser("set-staff-password", parents=[nested], help="set the password of the staff page")
    s.add_argument("--stdin", action="store_true", help="read it from standard input (scripts)")
    s.set_defaults(func=cmd_set_staff_password)
    i = sub.add_parser("import", parents=[nested],
                       help="import a kiosk's USB export bundle (idempotent: twice adds nothing twice)")
    i.add_argument("bundle", metavar="PATH", help="the .zip written by 'kiosk export'")
    i.add_argument("--include-withheld", action="store_true",
                   help="also import items staff withheld at the kiosk (default: skip them)")
    i.set_defaults(func=cmd_import_bundle)
    e = sub.add_parser("export", parents=[nested, _bundle_options(for_subcommand=True)],
                       help="write everything the receiver holds as one bundle (the kiosk's export format)")
    e.add_argument("--out", required=True, metavar="PATH", help="a folder (a name is made up) or a .zip path")
    e.set_defaults(func=cmd_receiver_export)
    return p


def cmd_import_bundle(args: argparse.Namespace) -> int:
    from kiosk.cli import CommandError
    from sync.receiver.bundle_import import ImportRefused, format_result, import_into_data_dir

    path = Path(args.bundle)
    try:
        result = import_into_data_dir(_receiver_dir(args), path, include_withheld=args.include_withheld)
    except ImportRefused as exc:
        raise CommandError(f"{path}: not imported: {exc}") from None
    print(format_result(result, path))
    return EXIT_OK if result.ok else EXIT_FAILURE


# ------------------------------------------------------------------ kiosk demo

@dataclass(frozen=True, slots=True)
class DemoSetup:
    receiver_dir: Path
    kiosk_dir: Path
    token_file: Path
    staff_password: str


def prepare_demo(base: Path, kiosk_id: str) -> DemoSetup:
    """A receiver data dir with a fresh token and staff password, and a kiosk data dir
    whose token file holds that token."""
    from sync.receiver import add_token, set_staff_password

    receiver_dir, kiosk_dir = base / "receiver", base / "kiosk"
    kiosk_dir.mkdir(parents=True, exist_ok=True)
    token_file = kiosk_dir / DEMO_TOKEN_FILE
    token_file.write_text(add_token(receiver_dir, kiosk_id) + "\n", encoding="utf-8")
    token_file.chmod(0o600)
    password = secrets.token_urlsafe(9)
    set_staff_password(receiver_dir, password)
    return DemoSetup(receiver_dir, kiosk_dir, token_file, password)


def demo_config(config: Any, endpoint: str, token_file: Path) -> Any:
    """*config* with sync switched on against the demo receiver."""
    sync = dataclasses.replace(config.sync, enabled=True, endpoint=endpoint, token_file=str(token_file),
                               interval_s=min(config.sync.interval_s, DEMO_INTERVAL_S), ca_bundle="")
    return dataclasses.replace(config, sync=sync)


def cmd_demo(args: argparse.Namespace) -> int:
    from kiosk.cli import load
    from sync.receiver import ReceiverSettings, ReceiverThread

    config = load(args, quiet_warnings=True)
    base = Path(tempfile.mkdtemp(prefix="kiosk-demo-"))
    try:
        setup = prepare_demo(base, config.kiosk.id)
        with ReceiverThread(ReceiverSettings(setup.receiver_dir), port=args.port) as receiver:
            print(f"Demo receiver: {receiver.url}/staff  (user: staff, password: {setup.staff_password})\n"
                  f"Demo data: {base}", file=sys.stderr)
            cfg = demo_config(config, receiver.url + "/api/v1", setup.token_file)
            if args.no_gui:
                print("Receiver running; Ctrl-C stops it.", file=sys.stderr)
                try:
                    threading.Event().wait()
                except KeyboardInterrupt:
                    return EXIT_OK
            from kiosk.app import EXIT_RESTART, run_gui  # the GUI; imported only here (Qt)

            while True:
                code = run_gui(cfg, setup.kiosk_dir, windowed=args.windowed, quit_after_s=args.quit_after)
                if code != EXIT_RESTART:
                    return code
                # "Restart" in the staff panel: a fresh kiosk against the same demo receiver.
                print("Restarting the kiosk; the demo receiver keeps running.", file=sys.stderr)
    finally:
        if args.keep:
            print(f"Demo data kept in {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)


def add_demo_parser(subparsers: Any, common: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    help_ = "try the whole loop: a local receiver with a fresh token, and the kiosk against it"
    p = subparsers.add_parser("demo", parents=[common] if common else [], help=help_, description=help_)
    p.add_argument("--windowed", action="store_true", help="run the kiosk in a window")
    p.add_argument("--port", type=int, default=0, help="receiver port (default: any free one)")
    p.add_argument("--no-gui", action="store_true", help="only run the demo receiver")
    p.add_argument("--keep", action="store_true", help="keep the temporary data dir afterwards")
    p.add_argument("--quit-after", type=float, default=None, metavar="SECONDS",
                   help="leave the kiosk after SECONDS, like 'exit kiosk' (smoke runs)")
    p.set_defaults(func=cmd_demo)
    return p
