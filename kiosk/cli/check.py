"""``kiosk check-config``: check kiosk.toml and list every problem."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.cli.common import EXIT_OK, EXIT_USAGE, add_command
from kiosk.core.config import ConfigError, find_config, load_config_with_warnings


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


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    add_command(sub, common, "check-config", cmd_check_config, "check kiosk.toml and list every problem")
