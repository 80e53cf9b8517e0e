"""Where a USB stick can be: mounted removable drives under /media and /run/media/<user>.

:func:`parse_mounts` is pure (tested on a sample of ``/proc/mounts``);
:func:`removable_drives` adds the file system. No Qt here.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

MEDIA_ROOTS = ("/media", "/run/media")


@dataclass(frozen=True, slots=True)
class Drive:
    path: Path
    label: str
    free_bytes: int
    total_bytes: int


def _unescape(field: str) -> str:
    """/proc/mounts escapes space, tab, newline and backslash as octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def parse_mounts(text: str, roots: tuple[str, ...] = MEDIA_ROOTS) -> list[Path]:
    """Mount points below one of ``roots`` (e.g. /media/anna/STICK), in order, no duplicates."""
    found: list[Path] = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        point = _unescape(parts[1])
        if any(point.startswith(root.rstrip("/") + "/") for root in roots) and Path(point) not in found:
            found.append(Path(point))
    return found


def removable_drives(mounts_file: str = "/proc/mounts", roots: tuple[str, ...] = MEDIA_ROOTS) -> list[Drive]:
    """Mounted drives under the media roots that this process can write to."""
    try:
        text = Path(mounts_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    drives = []
    for point in parse_mounts(text, roots):
        try:
            usage = shutil.disk_usage(point)
        except OSError:
            continue
        if os.access(point, os.W_OK):
            drives.append(Drive(point, point.name, usage.free, usage.total))
    return drives
