"""Shared file-system helpers."""

from __future__ import annotations

import pytest


def test_fsync_dir_strict_and_best_effort(tmp_path):
    from kiosk.core.fsutil import fsync_dir

    fsync_dir(tmp_path)  # an existing directory: fine either way
    with pytest.raises(OSError):
        fsync_dir(tmp_path / "gone")
    fsync_dir(tmp_path / "gone", best_effort=True)  # a draft's folder vanished: drawing goes on
