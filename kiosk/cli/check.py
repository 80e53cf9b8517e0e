"""``kiosk check-config``: check kiosk.toml and list every problem."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.cli.common import EXIT_OK, EXIT_USAGE, add_command
from kiosk.core import catalogue
from kiosk.core.config import Config, ConfigError, find_config, load_config_with_warnings


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
    for line in catalogue_problems(config):
        print(line, file=sys.stderr)
    goals = sum(len(t.goals) for t in config.topics)
    print(f"{path}: OK: event '{config.event.id}', kiosk '{config.kiosk.id}', "
          f"{len(config.topics)} topics, {goals} goals, languages {', '.join(config.kiosk.languages)}")
    return EXIT_OK


def catalogue_problems(config: Config) -> list[str]:
    """What the catalogues of the enabled languages lack, as warnings: the kiosk runs, and shows
    the default language's text where a translation is missing."""
    template = catalogue.read(catalogue.TEMPLATE)
    out = []
    for lang in config.kiosk.languages:
        path = catalogue.find(lang, catalogue.search_path(config.locale_dirs))
        if path is None:
            continue  # an error already (parse.py)
        try:
            found = catalogue.problems(catalogue.read(path, lang), template)
        except (OSError, ValueError) as exc:
            found = [str(exc)]
        out += [f"warning: {line}" for line in found]
        if found:
            out.append(f"warning: {path}: {len(found)} problem(s); visitors see the "
                       f"'{config.kiosk.default_language}' text there (python scripts/i18n.py check {lang})")
    return out


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    add_command(sub, common, "check-config", cmd_check_config, "check kiosk.toml and list every problem")
