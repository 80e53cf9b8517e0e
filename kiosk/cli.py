"""The ``kiosk`` command: run the kiosk and the staff/IT tools.

Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
Each command is a thin shell around a function that lives with its data.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk import __version__
from kiosk.core.config import Config, ConfigError, find_config, load_config_with_warnings

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

log = logging.getLogger("kiosk.cli")


class CommandError(Exception):
    """A failure to report in one line, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


def load(args: argparse.Namespace, *, quiet_warnings: bool = False) -> Config:
    """The config named by the common options; raises CommandError(2) when broken."""
    path = find_config(args.config)
    try:
        config, warnings = load_config_with_warnings(path)
    except ConfigError as exc:
        raise CommandError(f"{exc}\nThe configuration {path} has problems; fix them and try again.",
                           EXIT_USAGE) from None
    if not quiet_warnings:
        for w in warnings:
            print(w, file=sys.stderr)
    return config


def data_dir(args: argparse.Namespace, config: Config) -> Path:
    from kiosk.core.paths import resolve_data_dir

    return resolve_data_dir(args.data_dir, config)


def open_store(args: argparse.Namespace, config: Config):
    from kiosk.core.storage import Store, StoreError

    directory = data_dir(args, config)
    try:
        return Store.open_in(directory, min_free_bytes=config.storage.min_free_mb * 1_000_000)
    except (StoreError, OSError) as exc:
        raise CommandError(f"cannot open the store in {directory}: {exc}") from None


# ---------------------------------------------------------------- commands


def cmd_run(args: argparse.Namespace) -> int:
    config = load(args)
    directory = data_dir(args, config)
    from kiosk.core.logs import setup_logging

    setup_logging(directory, logging.DEBUG if args.verbose else logging.INFO)
    log.info("starting kiosk %s, config %s, data dir %s", __version__, config.source, directory)
    from kiosk.app import EXIT_RESTART, restart_process, run_gui

    code = run_gui(config, directory, windowed=args.windowed)
    if code == EXIT_RESTART:  # staff chose "restart" in the panel: start afresh, same command line
        try:
            restart_process()
        except OSError as exc:
            log.error("could not restart (%s); exiting with %d for the service manager", exc, code)
    return code


def cmd_check_config(args: argparse.Namespace) -> int:
    path = find_config(args.config)
    try:
        config, warnings = load_config_with_warnings(path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        errors = sum(not p.warning for p in exc.problems)
        print(f"{path}: {errors} error(s); the kiosk will not start with this file.", file=sys.stderr)
        return EXIT_USAGE
    for w in warnings:
        print(w, file=sys.stderr)
    goals = sum(len(t.goals) for t in config.topics)
    print(f"{path}: OK: event '{config.event.id}', kiosk '{config.kiosk.id}', "
          f"{len(config.topics)} topics, {goals} goals, languages {', '.join(config.kiosk.languages)}")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    config = load(args, quiet_warnings=True)
    with open_store(args, config) as store:
        stats = store.stats()
        notices = list(store.notices)
    if args.json:
        print(json.dumps({"total": stats.total, "samples": stats.samples, "by_kind": stats.by_kind,
                          "by_topic": stats.by_topic, "by_state": stats.by_state,
                          "notices": [n.message for n in notices]}, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(format_stats(stats, config))
    for notice in notices:
        print(f"! {notice.at} {notice.message}")
    return EXIT_OK


def format_stats(stats, config: Config) -> str:
    lines = [f"Contributions: {stats.total}" + (f" (of which {stats.samples} samples)" if stats.samples else "")]
    lines.append("By kind:  " + ", ".join(f"{k} {n}" for k, n in sorted(stats.by_kind.items())))
    lines.append("By state: " + ", ".join(f"{k} {n}" for k, n in stats.by_state.items()))
    lines.append("By topic:")
    width = max((len(t) for t in stats.by_topic), default=0)
    for topic_id, n in sorted(stats.by_topic.items(), key=lambda kv: (-kv[1], kv[0])):
        topic = config.topic(topic_id)
        title = topic.title.get_text(config.kiosk.default_language) if topic else ""
        lines.append(f"  {topic_id:<{width}} {n:>7}  {title}")
    return "\n".join(lines)


def cmd_hash_pin(args: argparse.Namespace) -> int:
    from kiosk.core.pin import hash_pin, validate_pin

    if args.stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass("New staff PIN (digits): ")
        if getpass.getpass("Repeat it: ") != pin:
            raise CommandError("the two PINs differ; nothing changed", EXIT_USAGE)
    problem = validate_pin(pin)
    if problem:
        raise CommandError(problem, EXIT_USAGE)
    digest = hash_pin(pin)
    print(digest)
    print(f'Put this into the [staff] section of kiosk.toml:\npin_hash = "{digest}"', file=sys.stderr)
    return EXIT_OK


def cmd_seed(args: argparse.Namespace) -> int:
    from kiosk.core.seed import seed

    config = load(args, quiet_warnings=True)
    if args.ideas < 0 or args.drawings < 0:
        raise CommandError("--ideas and --drawings must not be negative", EXIT_USAGE)
    with open_store(args, config) as store:
        added = seed(store, config, ideas=args.ideas, drawings=args.drawings, random_seed=args.random_seed)
        print(f"Added {added} sample contributions (marked as samples) to {store.path}")
    return EXIT_OK


# ---------------------------------------------------------------- parser


def _common_options(*, for_subcommand: bool) -> argparse.ArgumentParser:
    """--config, --data-dir, -v, accepted before and after the command name.

    On subcommands the defaults are suppressed, so that ``kiosk --data-dir X
    stats`` keeps X instead of the subcommand resetting it to None.
    """
    default = argparse.SUPPRESS if for_subcommand else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="PATH", default=default,
                        help="kiosk.toml to use (default: $KIOSK_CONFIG, ./kiosk.toml, the bundled one)")
    common.add_argument("--data-dir", metavar="DIR", default=default,
                        help="where contributions and logs are kept (default: $KIOSK_DATA_DIR, "
                             "[storage] data_dir, then the platform's user data dir)")
    common.add_argument("-v", "--verbose", action="store_true",
                        default=argparse.SUPPRESS if for_subcommand else False, help="log debug messages")
    return common


def build_parser() -> argparse.ArgumentParser:
    top_common = _common_options(for_subcommand=False)
    common = _common_options(for_subcommand=True)
    parser = argparse.ArgumentParser(prog="kiosk", parents=[top_common],
                                     description="Smart-City-Fest participation kiosk.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--windowed", action="store_true", help="run in a window (development)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_, description=help_)
        p.set_defaults(func=func)
        return p

    run = add("run", cmd_run, "start the kiosk fullscreen (the default)")
    run.add_argument("--windowed", action="store_true", default=argparse.SUPPRESS, help="run in a window (development)")
    add("check-config", cmd_check_config, "check kiosk.toml and list every problem")
    stats = add("stats", cmd_stats, "count contributions by kind, topic and sync state")
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    hp = add("hash-pin", cmd_hash_pin, "make the hash of a new staff PIN for kiosk.toml")
    hp.add_argument("--stdin", action="store_true", help="read the PIN from standard input (for scripts)")
    seed = add("seed", cmd_seed, "fill the data dir with sample contributions (demos, training, benchmarks)")
    seed.add_argument("--ideas", type=int, default=50, metavar="N")
    seed.add_argument("--drawings", type=int, default=10, metavar="N")
    seed.add_argument("--random-seed", type=int, default=None, metavar="N", help="repeatable samples")
    _add_optional_commands(sub, common)
    parser.set_defaults(func=cmd_run)
    return parser


def _add_optional_commands(sub, common: argparse.ArgumentParser) -> None:
    """Commands that live with their own packages (sync, receiver, export)."""
    from kiosk.staff_cli import add_staff_parsers

    add_staff_parsers(sub, common)
    try:
        from sync import cli as sync_cli
    except ImportError:
        return
    for name in ("add_sync_parser", "add_receiver_parser", "add_demo_parser"):
        adder = getattr(sync_cli, name, None)
        if adder is not None:
            adder(sub, common)


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
