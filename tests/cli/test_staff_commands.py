"""The staff commands' exit codes: export, verify-bundle, reconcile, purge."""

from __future__ import annotations

import zipfile

import pytest

from kiosk.core.config import BUNDLED_CONFIG
from kiosk.cli import main
from staff_helpers import drawing, idea


def run(*argv: str) -> int:
    return main(list(argv))


@pytest.fixture
def filled(store, data_dir):
    """The data dir with an idea and a drawing (the store stays open beside the commands, as the kiosk would)."""
    store.add(idea())
    store.add(drawing(1))
    return data_dir


def common_args(filled):
    return ("--config", str(BUNDLED_CONFIG), "--data-dir", str(filled))


def test_export_then_verify(filled, tmp_path, capsys):
    stick = tmp_path / "stick"
    stick.mkdir()
    assert run("export", *common_args(filled), "--out", str(stick)) == 0
    out = capsys.readouterr().out
    assert "Wrote 2 contributions" in out and "Verified" in out
    bundle = next(stick.iterdir())
    assert run("verify-bundle", str(bundle)) == 0
    with zipfile.ZipFile(bundle) as zf:
        items = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(bundle, "w") as zf:
        for info, payload in items:
            zf.writestr(info, payload + b" " if info.filename == "ideas.csv" else payload)
    assert run("verify-bundle", str(bundle)) == 2  # a bundle that fails is refused input (#14)
    assert "ideas.csv" in capsys.readouterr().err
    assert run("verify-bundle", str(tmp_path / "missing.zip")) == 2


def test_export_to_a_missing_folder_fails_with_1(filled, tmp_path, capsys):
    assert run("export", *common_args(filled), "--out", str(tmp_path / "no" / "x.zip")) == 1
    assert "does not exist" in capsys.readouterr().err


def test_purge_refuses_pending_then_takes_the_phrase(filled, store, capsys):
    assert run("purge", *common_args(filled)) == 1
    assert "LOSE 2" in capsys.readouterr().out
    assert run("purge", *common_args(filled), "--dry-run") == 0
    assert run("purge", *common_args(filled), "--confirm", "LOSE 2") == 0
    assert store.count() == 0


def test_reconcile_without_a_receiver_is_a_config_error(filled, capsys):
    assert run("reconcile", *common_args(filled)) == 2
    assert "token" in capsys.readouterr().err
