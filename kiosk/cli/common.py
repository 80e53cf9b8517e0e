"""What every command shares: exit codes, one-line errors, the common options, the config,
the data dir, the store, and progress on a terminal.

Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from kiosk.core.config import Config, ConfigError, find_config, load_config_with_warnings

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace], int]


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


def read_secret(what: str, *, from_stdin: bool) -> str:
    """A PIN or password: one line from standard input with ``--stdin`` or when it is not a
    terminal (``echo 4711 | kiosk hash-pin`` in a provisioning script), else typed twice
    without echo. Raises CommandError(2) when nothing comes, or the two differ."""
    import getpass

    stdin = sys.stdin
    if from_stdin or stdin is None or not stdin.isatty():
        line = stdin.readline() if stdin is not None else ""
        if not line.strip():
            raise CommandError(f"no {what} on standard input; nothing changed", EXIT_USAGE)
        return line.rstrip("\r\n")
    try:
        first = getpass.getpass(f"New {what}: ")
        if getpass.getpass("Repeat it: ") != first:
            raise CommandError("the two entries differ; nothing changed", EXIT_USAGE)
    except EOFError:
        raise CommandError(f"no {what} was typed; nothing changed", EXIT_USAGE) from None
    return first


def data_dir(args: argparse.Namespace, config: Config) -> Path:
    from kiosk.core.paths import resolve_data_dir

    return resolve_data_dir(args.data_dir, config)


def open_store(args: argparse.Namespace, config: Config):  # noqa: ANN201 - kiosk.core.storage.Store
    from kiosk.core.storage import Store, StoreError

    directory = data_dir(args, config)
    try:
        return Store.open_in(directory, min_free_bytes=config.storage.min_free_mb * 1_000_000)
    except (StoreError, OSError) as exc:
        raise CommandError(f"cannot open the store in {directory}: {exc}") from None


def common_options(*, for_subcommand: bool) -> argparse.ArgumentParser:
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


def add_command(sub: Any, common: argparse.ArgumentParser, name: str, func: Command,
                help_: str) -> argparse.ArgumentParser:
    """Register command ``name`` (with the common options) whose handler is ``func``."""
    p = sub.add_parser(name, parents=[common], help=help_, description=help_)
    p.set_defaults(func=func)
    return p


def percent_progress(label: str) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` that keeps one line "label done/total (pct%)" up to date on a
    terminal, and says nothing when standard error is not one."""
    state = {"last": -1}

    def report(done: int, total: int) -> None:
        pct = 100 * done // max(total, 1)
        if pct != state["last"] and sys.stderr.isatty():
            state["last"] = pct
            print(f"\r{label} {done}/{total} ({pct}%)", end="", file=sys.stderr, flush=True)

    return report


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
