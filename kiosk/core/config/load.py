"""Finding and loading the configuration file: :func:`find_config`, :func:`load_config`.

The file is read as UTF-8 and parsed with tomllib; a missing, unreadable or
invalid file is a :class:`~kiosk.core.config.parse.ConfigError` like any other
problem. :data:`BUNDLED_CONFIG` is ``kiosk/kiosk.toml``, shipped with the package.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from kiosk.core.config.parse import ConfigError, ConfigProblem, parse_config
from kiosk.core.config.sections import Config

CONFIG_ENV = "KIOSK_CONFIG"
BUNDLED_CONFIG = Path(__file__).parents[2] / "kiosk.toml"


def load_config(path: Path) -> Config:
    """Read and validate a kiosk.toml. Raises ConfigError naming file, line and key."""
    return load_config_with_warnings(path)[0]


def load_config_with_warnings(path: Path) -> tuple[Config, list[ConfigProblem]]:
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([ConfigProblem(file, None, "", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(file, None, "", f"cannot be read: {exc}")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if m:
            msg += f" (column {m.group(2)})"
        raise ConfigError([ConfigProblem(file, line, "", f"not valid TOML: {msg}")]) from None
    return parse_config(data, file=file, text=text)


def find_config(cli_path: str | None = None, *, cwd: Path | None = None) -> Path:
    """The config file to use: --config, $KIOSK_CONFIG, ./kiosk.toml, the bundled one."""
    if cli_path:
        return Path(cli_path)
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env)
    local = (cwd or Path.cwd()) / "kiosk.toml"
    if local.is_file():
        return local
    return BUNDLED_CONFIG
