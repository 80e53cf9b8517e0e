"""File-system helpers shared by the store, the export, drafts and the receiver. No Qt."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_dir(directory: Path, *, best_effort: bool = False) -> None:
    """Make a created or renamed directory entry durable (POSIX; a no-op elsewhere).

    Args:
        best_effort: swallow OS errors (an autosaved draft must never stop drawing).
    """
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        if best_effort:
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not best_effort:
            raise
    finally:
        os.close(fd)
