"""What turns a Debian (or Raspberry Pi OS) machine into a kiosk terminal: the files, and the
checks that need no Qt. ``kiosk install-terminal`` (kiosk/cli/terminal.py) applies them.

The files are templates in ``deploy/terminal/`` (shipped in the package as ``kiosk/terminal``):
a systemd unit that starts cage with the kiosk on tty1, its PAM session, a udev rule, a mount
unit and a polkit rule for USB sticks (udisks2), and a tmpfiles entry for the data dir and
console blanking. :func:`plan` fills them in; :func:`write` and :func:`remove` apply a plan
under a root folder (``/`` on the terminal, any folder in tests), idempotently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "terminal"
"""deploy/terminal/, through the symlink kiosk/terminal (so that it is package data)."""

UNIT = "smart-city-kiosk.service"
DEFAULT_USER = "kiosk"
DEFAULT_DATA_DIR = "/var/lib/smart-city-kiosk"
DEFAULT_CONFIG = "/etc/smart-city-kiosk/kiosk.toml"
PACKAGES = ("cage", "udisks2", "polkitd", "fonts-noto-color-emoji")
"""Debian packages a terminal needs beyond Python (fonts: emoji in visitors' text)."""

VOLATILE_FS = {"tmpfs": "a RAM disk (tmpfs)", "ramfs": "a RAM disk (ramfs)", "overlay": "an overlay file system",
               "zram": "compressed RAM (zram)", "squashfs": "a read-only image"}

# template name -> where it goes, and its mode
DESTINATIONS = {
    "smart-city-kiosk.service": ("etc/systemd/system/smart-city-kiosk.service", 0o644),
    "smart-city-kiosk-usb@.service": ("etc/systemd/system/smart-city-kiosk-usb@.service", 0o644),
    "90-smart-city-kiosk-usb.rules": ("etc/udev/rules.d/90-smart-city-kiosk-usb.rules", 0o644),
    "50-smart-city-kiosk.rules": ("etc/polkit-1/rules.d/50-smart-city-kiosk.rules", 0o644),
    "smart-city-kiosk.pam": ("etc/pam.d/smart-city-kiosk", 0o644),
    "smart-city-kiosk.conf": ("usr/lib/tmpfiles.d/smart-city-kiosk.conf", 0o644),
}


@dataclass(frozen=True, slots=True)
class InstallFile:
    path: str
    """Relative to the root: ``etc/systemd/system/smart-city-kiosk.service``."""
    content: str
    mode: int = 0o644


def plan(*, user: str, kiosk: str, config: str, data_dir: str, docs: str = "") -> list[InstallFile]:
    """The files of a terminal, filled in for this user, kiosk executable, config and data dir."""
    values = {"@USER@": user, "@KIOSK@": kiosk, "@CONFIG@": config, "@DATA_DIR@": data_dir,
              "@DOCS@": docs or str(TEMPLATES / "README.md")}
    files = []
    for template, (path, mode) in DESTINATIONS.items():
        text = (TEMPLATES / template).read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        files.append(InstallFile(path, text, mode))
    return files


def write(files: list[InstallFile], root: Path) -> list[tuple[str, str]]:
    """Write each file under ``root`` unless it is there already with the same content and mode.

    Returns ``(path, "written" | "unchanged")`` per file: a second run writes nothing."""
    done = []
    for f in files:
        target = root / f.path
        if target.is_file() and target.read_text(encoding="utf-8") == f.content \
                and target.stat().st_mode & 0o777 == f.mode:
            done.append((f.path, "unchanged"))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(f.content, encoding="utf-8")
        tmp.chmod(f.mode)
        os.replace(tmp, target)
        done.append((f.path, "written"))
    return done


def remove(files: list[InstallFile], root: Path) -> list[tuple[str, str]]:
    """Remove the files of a plan under ``root`` (``removed`` or ``absent`` per file)."""
    done = []
    for f in files:
        target = root / f.path
        if target.exists():
            target.unlink()
            done.append((f.path, "removed"))
        else:
            done.append((f.path, "absent"))
    return done


def _unescape(field: str) -> str:
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")


def mount_of(path: Path, mounts_text: str) -> tuple[str, str] | None:
    """(mount point, file system type) of the mount that holds ``path``, from /proc/mounts' text."""
    best: tuple[str, str] | None = None
    target = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point, fstype = _unescape(parts[1]), parts[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, fstype)
    return best


def volatile_reason(path: Path, mounts_text: str | None = None) -> str | None:
    """Why contributions in ``path`` would not survive a power cut, or None when it is persistent.

    Raspberry Pi OS's "overlay file system" (raspi-config) puts / on an overlay in RAM; a data dir
    under /tmp or /run is in RAM too."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    probe = path
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent  # the folder may not exist yet: ask about where it will be
    found = mount_of(probe.resolve(), mounts_text)
    if found is None or found[1] not in VOLATILE_FS:
        return None
    point, fstype = found
    return (f"{path} is on {VOLATILE_FS[fstype]} mounted at {point}: what visitors leave there is lost at "
            f"power-off. Put the data dir on a persistent writable partition (--data-dir), or turn the "
            f"overlay off (Raspberry Pi OS: raspi-config, Performance Options, Overlay File System)")
