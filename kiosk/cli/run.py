"""``kiosk run``: start the kiosk (the default command)."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from kiosk import __version__
from kiosk.cli.common import add_command, data_dir, load

log = logging.getLogger("kiosk.cli")


def cmd_run(args: argparse.Namespace) -> int:
    config = load(args)
    directory = data_dir(args, config)
    from kiosk.core.logs import setup_logging

    setup_logging(directory, logging.DEBUG if args.verbose else logging.INFO)
    log.info("starting kiosk %s, config %s, data dir %s", __version__, config.source, directory)
    from kiosk.core.terminal import volatile_reason

    reason = volatile_reason(directory)
    if reason:
        log.warning("%s", reason)
    from kiosk.app import EXIT_RESTART, restart_process, run_gui

    code = run_gui(config, directory, windowed=args.windowed)
    if code == EXIT_RESTART:  # staff chose "restart" in the panel: start afresh, same command line
        try:
            restart_process()
        except OSError as exc:
            log.error("could not restart (%s); exiting with %d for the service manager", exc, code)
    return code


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    run = add_command(sub, common, "run", cmd_run, "start the kiosk fullscreen (the default)")
    run.add_argument("--windowed", action="store_true", default=argparse.SUPPRESS, help="run in a window (development)")
