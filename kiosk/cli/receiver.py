"""``kiosk receiver``: run the receiver the kiosks deliver to; ``add-token``,
``add-user``/``remove-user``/``set-staff-password`` (the staff web app's accounts), ``import`` (a USB bundle) and ``export``.

Exit codes: 0 ok, 1 something failed at run time, 2 usage, configuration or auth problems.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path
from typing import Any

from kiosk.cli.common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, CommandError, read_secret
from sync.protocol import Limits


def _receiver_dir(args: argparse.Namespace) -> Path:

    if not args.data_dir:
        raise CommandError("the receiver needs --data-dir DIR (where it keeps what kiosks deliver)", EXIT_USAGE)
    return Path(args.data_dir).expanduser()


def _limits(args: argparse.Namespace) -> Limits:
    limits = Limits(max_blob_bytes=args.max_blob_bytes, max_json_bytes=args.max_json_bytes,
                    max_text_chars=args.max_text_chars)
    if min(dataclasses.astuple(limits)) <= 0:
        raise CommandError("limits must be positive", EXIT_USAGE)
    return limits


def cmd_receiver(args: argparse.Namespace) -> int:
    from sync.receiver import ReceiverSettings, serve
    from sync.receiver.server import TLSFiles
    from sync.receiver.auth import STAFF_PASSWORD_FILE, TOKENS_FILE, read_token_hashes

    directory = _receiver_dir(args)
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        raise CommandError("give both --ssl-certfile and --ssl-keyfile, or neither", EXIT_USAGE)
    limits = _limits(args)
    timezone = _timezone(args.timezone)
    tls = TLSFiles(args.ssl_certfile, args.ssl_keyfile) if args.ssl_certfile else None
    from sync.protocol import is_loopback_host

    if tls is None and not is_loopback_host(args.host):
        print("kiosk receiver: warning: serving plain HTTP on a network address; put it behind a "
              "TLS reverse proxy or give --ssl-certfile/--ssl-keyfile", file=sys.stderr)
    directory.mkdir(parents=True, exist_ok=True)
    if not read_token_hashes(directory / TOKENS_FILE):
        print("kiosk receiver: no kiosk tokens yet; add one with `kiosk receiver add-token KIOSK_ID`",
              file=sys.stderr)
    if (directory / STAFF_PASSWORD_FILE).is_file():
        print(f"kiosk receiver: note: {STAFF_PASSWORD_FILE} (the shared password of the old HTTP-Basic staff page) "
              "is no longer used; staff sign in at /staff/login with named accounts "
              "(`kiosk receiver add-user NAME --role ROLE`). The file may be deleted.", file=sys.stderr)
    from sync.receiver.web.accounts import ACCOUNTS_FILE, read_accounts

    if not read_accounts(directory / ACCOUNTS_FILE):
        print("kiosk receiver: no staff accounts yet; nobody can sign in to the staff web app until "
              "`kiosk receiver add-user NAME --role admin`", file=sys.stderr)
    logging.getLogger("sync").setLevel(logging.INFO)
    titles_from = _check_bundle_options(args)
    serve(ReceiverSettings(directory, limits, name=args.name, titles_from=titles_from,
                           timezone=timezone),
          host=args.host, port=args.port, tls=tls)
    return EXIT_OK


def _timezone(name: str | None) -> str | None:
    """``--timezone``, checked before the receiver starts."""
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(f"--timezone {name!r}: not a time zone like Europe/Berlin", EXIT_USAGE) from None
    return name


def _check_bundle_options(args: argparse.Namespace) -> Path | None:
    """``--name`` and ``--titles-from``, checked before anything starts; the kiosk.toml's path."""
    from kiosk.core.config import ConfigError
    from sync.receiver.bundle_export import is_slug, load_titles

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
    """``kiosk receiver export --out PATH``: everything the receiver holds, as one bundle file."""
    from kiosk.core.export import ExportError
    from sync.receiver.bundle_export import BundleSourceError, export_bundle, load_titles
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
    """``kiosk receiver set-staff-password NAME``: a new password for the staff web app's account
    NAME, its role kept (the shared password of the old HTTP-Basic page is gone)."""
    from sync.receiver.web.accounts import ACCOUNTS_FILE, AccountError, add_account, read_accounts

    directory = _receiver_dir(args)
    if not args.name:
        raise CommandError("the shared staff password is gone: staff sign in to the staff web app with named "
                           "accounts. Set the password of one with `kiosk receiver set-staff-password NAME`, "
                           "or add one with `kiosk receiver add-user NAME --role admin`", EXIT_USAGE)
    account = read_accounts(directory / ACCOUNTS_FILE).get(args.name)
    if account is None:
        raise CommandError(f"there is no staff account '{args.name}'; add it with "
                           f"`kiosk receiver add-user {args.name} --role staff` (or --role admin)", EXIT_USAGE)
    password = read_secret(f"new password of {args.name}", from_stdin=args.stdin)
    try:
        add_account(directory, args.name, account.role, password)
    except AccountError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    ended = _end_sessions_of(directory, args.name)
    print(f"Changed the password of staff account '{args.name}' ({account.role}); it is stored as an "
          f"argon2 hash.{' Its sessions are ended: it signs in again.' if ended else ''}", file=sys.stderr)
    return EXIT_OK


def _end_sessions_of(directory: Path, name: str) -> bool:
    """End every signed-in session of *name* (a new password: a stolen session ends too)."""
    from sync.receiver.storage import DB_NAME, ReceiverStore
    from sync.receiver.web.sessions import Sessions

    if not (directory / DB_NAME).is_file():
        return False
    store = ReceiverStore(directory, clean_tmp=False)  # the receiver may be running beside us
    try:
        Sessions(store).end_all_of(name)
    finally:
        store.close()
    return True


def cmd_add_user(args: argparse.Namespace) -> int:
    """``kiosk receiver add-user NAME --role ROLE``: a named account of the staff web app."""
    from sync.receiver.web.accounts import AccountError, add_account, check_new_account

    directory = _receiver_dir(args)
    try:
        check_new_account(args.name, args.role, "x" * 64)  # name and role before asking for a password
    except AccountError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    password = read_secret(f"password of {args.name}", from_stdin=args.stdin)
    try:
        new = add_account(directory, args.name, args.role, password)
    except AccountError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    print(f"{'Added' if new else 'Changed'} staff account '{args.name}' ({args.role}); "
          "the password is stored as an argon2 hash.", file=sys.stderr)
    return EXIT_OK


def cmd_remove_user(args: argparse.Namespace) -> int:
    from sync.receiver.web.accounts import remove_account

    if not remove_account(_receiver_dir(args), args.name):
        raise CommandError(f"there is no staff account '{args.name}'", EXIT_USAGE)
    print(f"Removed staff account '{args.name}'; its sessions end with its next request.", file=sys.stderr)
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


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    help_ = "run the receiver the kiosks deliver to (the city's side)"
    p = sub.add_parser("receiver", parents=[common, _bundle_options(for_subcommand=False)],
                       help=help_, description=help_)
    d = Limits()
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8443, help="port (default: 8443)")
    p.add_argument("--timezone", metavar="ZONE", help="show times in the staff web app in this zone, "
                                                     "e.g. Europe/Berlin (default: the machine's)")
    p.add_argument("--ssl-certfile", metavar="PEM", help="serve HTTPS with this certificate (chain)")
    p.add_argument("--ssl-keyfile", metavar="PEM", help="... and this private key")
    p.add_argument("--max-blob-bytes", type=int, default=d.max_blob_bytes, metavar="N")
    p.add_argument("--max-json-bytes", type=int, default=d.max_json_bytes, metavar="N")
    p.add_argument("--max-text-chars", type=int, default=d.max_text_chars, metavar="N")
    p.set_defaults(func=cmd_receiver)
    nested_sub = p.add_subparsers(dest="receiver_command", metavar="SUBCOMMAND")
    # No parents here: a sub-subparser's defaults would overwrite a --data-dir given before it.
    nested = argparse.ArgumentParser(add_help=False)
    nested.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="the receiver's data dir")
    t = nested_sub.add_parser("add-token", parents=[nested], help="make a new token for a kiosk and print it once")
    t.add_argument("kiosk_id")
    t.set_defaults(func=cmd_add_token)
    help_ = ("set a new password for an account of the staff web app (as add-user, its role kept); the "
             "shared password of the old HTTP-Basic staff page is gone")
    s = nested_sub.add_parser("set-staff-password", parents=[nested], help=help_, description=help_)
    s.add_argument("name", nargs="?", help="the account's name (see add-user)")
    s.add_argument("--stdin", action="store_true", help="read it from standard input (the default when it is not a terminal)")
    s.set_defaults(func=cmd_set_staff_password)
    u = nested_sub.add_parser("add-user", parents=[nested],
                              help="add (or change) a named account of the staff web app")
    u.add_argument("name", help="the account's name (lower-case letters, digits, . _ -)")
    u.add_argument("--role", required=True, choices=("staff", "admin"),
                   help="staff: read, moderate, export; admin: also accounts and terminal tokens")
    u.add_argument("--stdin", action="store_true", help="read the password from standard input")
    u.set_defaults(func=cmd_add_user)
    r = nested_sub.add_parser("remove-user", parents=[nested], help="remove an account of the staff web app")
    r.add_argument("name")
    r.set_defaults(func=cmd_remove_user)
    i = nested_sub.add_parser("import", parents=[nested],
                              help="import a kiosk's USB export bundle (idempotent: twice adds nothing twice)")
    i.add_argument("bundle", metavar="PATH", help="the .zip written by 'kiosk export'")
    i.add_argument("--include-withheld", action="store_true",
                   help="also import items staff withheld at the kiosk (default: skip them)")
    for option in ("--max-blob-bytes", "--max-json-bytes", "--max-text-chars"):  # also after `import`
        i.add_argument(option, type=int, default=argparse.SUPPRESS, metavar="N",
                       help="the receiver's limit, applied to the bundle too (as for `kiosk receiver`)")
    i.set_defaults(func=cmd_import_bundle)
    e = nested_sub.add_parser("export", parents=[nested, _bundle_options(for_subcommand=True)],
                              help="write everything the receiver holds as one bundle (the kiosk's export format)")
    e.add_argument("--out", required=True, metavar="PATH", help="a folder (a name is made up) or a .zip path")
    e.set_defaults(func=cmd_receiver_export)


def cmd_import_bundle(args: argparse.Namespace) -> int:
    from sync.receiver.bundle_import import ImportRefused, format_result, import_into_data_dir

    path = Path(args.bundle)
    try:
        result = import_into_data_dir(_receiver_dir(args), path, include_withheld=args.include_withheld,
                                      limits=_limits(args))
    except ImportRefused as exc:
        raise CommandError(f"{path}: not imported: {exc}", EXIT_USAGE) from None
    print(format_result(result, path))
    return EXIT_OK if result.ok else EXIT_FAILURE
