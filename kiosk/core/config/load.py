"""Finding and loading the configuration file: :func:`find_config`, :func:`load_config`.

The file is read as UTF-8 and parsed with tomllib; a missing, unreadable or
invalid file is a :class:`~kiosk.core.config.parse.ConfigError` like any other
problem. :data:`BUNDLED_CONFIG` is ``kiosk/kiosk.toml``, shipped with the package.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path

from kiosk.core.config.parse import ConfigError, ConfigProblem, parse_config
from kiosk.core.config.sections import Config

CONFIG_ENV = "KIOSK_CONFIG"
BUNDLED_CONFIG = Path(__file__).parents[2] / "kiosk.toml"
MAX_CONFIG_BYTES = 1_000_000
"""A kiosk.toml is a few kilobytes; a file larger than this is not one (``--config /dev/zero``)."""


def load_config(path: Path) -> Config:
    """Read and validate a kiosk.toml. Raises ConfigError naming file, line and key."""
    return load_config_with_warnings(path)[0]


def load_config_with_warnings(path: Path) -> tuple[Config, list[ConfigProblem]]:
    file = str(path)
    text = _read_text(Path(path), file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([_toml_problem(file, text, str(exc))]) from None
    except ValueError:  # an integer of more digits than Python converts (4300)
        m = re.search(r"\d{4000,}", text)
        line = text.count("\n", 0, m.start()) + 1 if m else None
        raise ConfigError([ConfigProblem(file, line, "", "not valid TOML: a number with thousands of digits")]) from None
    except RecursionError:
        raise ConfigError([ConfigProblem(file, None, "", "not valid TOML: nested too deeply")]) from None
    try:
        config, warnings = parse_config(data, file=file, text=text)
    except RecursionError:
        raise ConfigError([ConfigProblem(file, None, "", "nested too deeply to be a kiosk configuration")]) from None
    if config.content.file:
        content_problems = _check_content(config, file)
        if content_problems:
            raise ConfigError(content_problems + warnings)
    return config, warnings


def _check_content(config: Config, file: str) -> list[ConfigProblem]:
    """Every problem of the content file ``[content] file`` names (``kiosk content pull``)."""
    from kiosk.core.content import parse_content  # only for a config that names one

    path = Path(config.content.file).expanduser()
    if not path.is_absolute():
        path = Path(file).parent / path
    try:
        text = _read_text(path, str(path))
    except ConfigError as exc:
        return [ConfigProblem(file, None, "content.file", f"{path}: {p.message}") for p in exc.problems]
    return [ConfigProblem(str(path), None, "", problem) for problem in parse_content(text)[1]]


def _read_text(path: Path, file: str) -> str:
    """The file's text: only a regular file, at most :data:`MAX_CONFIG_BYTES`, UTF-8.

    A FIFO or a device is refused before it is opened for reading (opening a FIFO waits
    for a writer; ``/dev/zero`` never ends).
    """
    def problem(message: str) -> ConfigError:
        return ConfigError([ConfigProblem(file, None, "", message)])

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise problem("is not a regular file (a folder, a pipe or a device); give the path of a kiosk.toml")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise problem("file not found") from None
    except OSError as exc:
        raise problem(f"cannot be read: {exc}") from None
    try:
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped since the look
                raise problem("is not a regular file")
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise problem(f"cannot be read: {exc}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise problem(f"is larger than {MAX_CONFIG_BYTES:,} bytes; a kiosk.toml is a few kilobytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise problem(f"cannot be read: not UTF-8 text ({exc})") from None


def _toml_problem(file: str, text: str, message: str) -> ConfigProblem:
    """tomllib's message with the line it names; "at end of document" points at the line where an
    unterminated string (or array, or table) starts, or else the last line."""
    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    msg = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
    if m:
        return ConfigProblem(file, int(m.group(1)), "", f"not valid TOML: {msg} (column {m.group(2)})")
    line = None
    if "end of document" in message:
        lines = text.splitlines()
        opened = [n for n, raw in enumerate(lines, 1) if (raw.count('"""') + raw.count("'''")) % 2]
        filled = [n for n, raw in enumerate(lines, 1) if raw.strip()]
        line = (opened or filled or [None])[-1]
        if line is not None and ("Unterminated" in msg or "Expected" in msg):
            msg += f"; the value that starts on line {line} is not closed"
    return ConfigProblem(file, line, "", f"not valid TOML: {msg}")


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
