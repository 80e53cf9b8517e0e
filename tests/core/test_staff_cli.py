"""The staff commands' exit codes: export, verify-bundle, reconcile, purge."""

from __future__ import annotations

import zipfile

import pytest

from kiosk.core.config import BUNDLED_CONFIG
from kiosk.cli import main
from staff_helpers import drawing, idea, open_store


def run(*argv: str) -> int:
    return main(list(argv))


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    store = open_store(d)
    store.add(idea())
    store.add(drawing(1))
    store.close()
    return d


def common_args(data):
    return ("--config", str(BUNDLED_CONFIG), "--data-dir", str(data))


def test_export_then_verify(data, tmp_path, capsys):
    stick = tmp_path / "stick"
    stick.mkdir()
    assert run("export", *common_args(data), "--out", str(stick)) == 0
    out = capsys.readouterr().out
    assert "Wrote 2 contributions" in out and "Verified" in out
    bundle = next(stick.iterdir())
    assert run("verify-bundle", str(bundle)) == 0
    with zipfile.ZipFile(bundle) as zf:
        items = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(bundle, "w") as zf:
        for info, payload in items:
            zf.writestr(info, payload + b" " if info.filename == "ideas.csv" else payload)
    assert run("verify-bundle", str(bundle)) == 1
    assert "ideas.csv" in capsys.readouterr().err
    assert run("verify-bundle", str(tmp_path / "missing.zip")) == 2


def test_export_to_a_missing_folder_fails_with_1(data, tmp_path, capsys):
    assert run("export", *common_args(data), "--out", str(tmp_path / "no" / "x.zip")) == 1
    assert "does not exist" in capsys.readouterr().err


def test_purge_refuses_pending_then_takes_the_phrase(data, capsys):
    assert run("purge", *common_args(data)) == 1
    assert "LOSE 2" in capsys.readouterr().out
    assert run("purge", *common_args(data), "--dry-run") == 0
    assert run("purge", *common_args(data), "--confirm", "LOSE 2") == 0
    store = open_store(data)
    assert store.count() == 0
    store.close()


def test_reconcile_without_a_receiver_is_a_config_error(data, capsys):
    assert run("reconcile", *common_args(data)) == 2
    assert "token" in capsys.readouterr().err
