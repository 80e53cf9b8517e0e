"""The receiver's publication config: ``receiver.toml`` in its data dir.

Which connectors publish, where, with which credentials, and which events need no review.
Credentials are never in this file: it names files that hold them, and each such file must
be readable by the receiver's user alone (mode 0600 or 0400); a file that the group or the
world can read is refused with a message that says how to fix it. No credential is ever
logged or shown (``Secret.__repr__`` hides it).
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_NAME = "receiver.toml"


class PublishConfigError(ValueError):
    """The publication config is wrong; the message names the key and what to do."""


@dataclass(frozen=True, slots=True)
class Secret:
    """A credential read from a file; printing it shows the file, never the value."""

    value: str = field(repr=False)
    source: str = ""

    def __repr__(self) -> str:
        return f"Secret(from {self.source!r})"

    __str__ = __repr__


def read_secret(path: str | Path, key: str, base: Path) -> Secret:
    """The stripped content of a credential file, refusing one others may read."""
    file = Path(path) if Path(path).is_absolute() else base / path
    try:
        st = os.stat(file)
    except OSError as exc:
        raise PublishConfigError(f"{key}: cannot read {file} ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise PublishConfigError(f"{key}: {file} is not a regular file")
    if st.st_mode & 0o077:
        raise PublishConfigError(f"{key}: {file} can be read by others (mode {stat.S_IMODE(st.st_mode):o}); "
                                 f"run `chmod 600 {file}` so only the receiver's user can read it")
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise PublishConfigError(f"{key}: {file} belongs to another user; it must be the receiver's own")
    value = file.read_text(encoding="utf-8").strip()
    if not value:
        raise PublishConfigError(f"{key}: {file} is empty")
    return Secret(value, str(file))


@dataclass(frozen=True, slots=True)
class PublishConfig:
    public_url: str = ""
    """The receiver's public address (as in the kiosk's idea_url_template), for drawing links."""
    auto_approve_events: tuple[str, ...] = ()
    """Events whose contributions are approved on arrival (no staff review)."""
    interval_s: float = 10.0
    max_attempts: int = 8
    connectors: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Each enabled connector's table, secrets read (``*_file`` keys become ``Secret`` values)."""


def load_publish_config(data_dir: Path, path: Path | None = None) -> PublishConfig:
    """Read ``receiver.toml`` (none there: nothing is published, the status pages still work)."""
    file = path or Path(data_dir) / CONFIG_NAME
    if not file.exists():
        return PublishConfig()
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PublishConfigError(f"{file}: {exc}") from None
    publish = raw.get("publish", {})
    unknown = sorted(set(raw) - {"publish", "connectors"}) + sorted(
        set(publish) - {"public_url", "auto_approve_events", "interval_s", "max_attempts"})
    if unknown:
        raise PublishConfigError(f"{file}: unknown key {unknown[0]!r}")
    connectors: dict[str, dict[str, Any]] = {}
    for name, table in raw.get("connectors", {}).items():
        if not isinstance(table, dict):
            raise PublishConfigError(f"{file}: connectors.{name} must be a table")
        if not table.get("enabled", False):
            continue
        resolved = {}
        for key, value in table.items():
            if key.endswith("_file"):
                resolved[key[:-5]] = read_secret(value, f"connectors.{name}.{key}", file.parent)
            else:
                resolved[key] = value
        connectors[name] = resolved
    try:
        return PublishConfig(public_url=str(publish.get("public_url", "")).rstrip("/"),
                             auto_approve_events=tuple(str(e) for e in publish.get("auto_approve_events", ())),
                             interval_s=float(publish.get("interval_s", 10.0)),
                             max_attempts=int(publish.get("max_attempts", 8)), connectors=connectors)
    except (TypeError, ValueError) as exc:
        raise PublishConfigError(f"{file}: [publish]: {exc}") from None
