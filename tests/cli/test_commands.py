"""The kiosk command: exit codes 0 ok, 1 runtime failure, 2 usage or configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.pin import verify_pin

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def broken_config(tmp_path: Path) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text('[kiosk]\nlanguages = ["de"]\nhide_cursor = 1\n', encoding="utf-8")
    return path


def test_check_config_ok(capsys):
    assert main(["check-config"]) == 0
    out = capsys.readouterr()
    assert "OK" in out.out and "7 topics" in out.out
    assert "demo PIN" in out.err


def test_check_config_broken_exits_2_and_names_line(broken_config, capsys):
    assert main(["check-config", "--config", str(broken_config)]) == 2
    err = capsys.readouterr().err
    assert f"{broken_config}:3: error: kiosk.hide_cursor" in err


@pytest.mark.parametrize("key, value", [("display", "hdmi"), ("orientation", "upside-down")])
def test_check_config_rejects_unknown_display_or_orientation(tmp_path, capsys, key, value):
    path = tmp_path / "kiosk.toml"
    path.write_text(f'[kiosk]\nlanguages = ["de"]\n{key} = "{value}"\n', encoding="utf-8")
    assert main(["check-config", "--config", str(path)]) == 2
    assert f"{path}:3: error: kiosk.{key}: '{value}' is not one of" in capsys.readouterr().err


def test_commands_refuse_a_broken_config(broken_config, tmp_path, capsys):
    assert main(["stats", "--config", str(broken_config), "--data-dir", str(tmp_path)]) == 2
    assert "kiosk.hide_cursor" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error():
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2


def test_hash_pin_from_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("80715\n"))
    assert main(["hash-pin", "--stdin"]) == 0
    digest = capsys.readouterr().out.strip()
    assert verify_pin(digest, "80715") and not verify_pin(digest, "80716")


@pytest.mark.parametrize("pin", ["12", "12a4", "１２３４"])
def test_hash_pin_refuses_bad_pins(monkeypatch, capsys, pin):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(pin + "\n"))
    assert main(["hash-pin", "--stdin"]) == 2
    assert capsys.readouterr().out == ""


def test_seed_then_stats(tmp_path, capsys):
    assert main(["seed", "--data-dir", str(tmp_path), "--ideas", "30", "--drawings", "4", "--random-seed", "7"]) == 0
    capsys.readouterr()
    assert main(["stats", "--json", "--data-dir", str(tmp_path)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == 34 and stats["samples"] == 34
    assert stats["by_kind"] == {"idea": 30, "drawing": 4}
    assert sum(stats["by_topic"].values()) == 34
    assert stats["by_state"]["withheld"] == 34 and stats["by_state"]["pending"] == 0  # samples never sync


def test_stats_text_output_lists_topics(tmp_path, capsys):
    assert main(["seed", "--data-dir", str(tmp_path), "--ideas", "10", "--drawings", "0", "--random-seed", "1"]) == 0
    capsys.readouterr()
    assert main(["stats", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Contributions: 10 (of which 10 samples)")


def test_unusable_data_dir_is_a_runtime_failure(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    assert main(["stats", "--data-dir", str(blocker / "sub")]) == 1
    assert "cannot open the store" in capsys.readouterr().err


def test_console_script_runs_as_a_module():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "kiosk", "check-config", "--config", "/nonexistent.toml"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    assert "/nonexistent.toml: error: file not found" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv", [
    ["--data-dir", "{d}", "--config", "{c}", "stats", "--json"],
    ["stats", "--json", "--data-dir", "{d}", "--config", "{c}"],
])
def test_common_options_before_or_after_the_command(tmp_path, capsys, argv):
    from kiosk.cli import build_parser

    cfg = tmp_path / "k.toml"
    cfg.write_text("")
    args = build_parser().parse_args([a.format(d=tmp_path / "data", c=cfg) for a in argv])
    assert args.data_dir == str(tmp_path / "data")
    assert args.config == str(cfg)


def test_windowed_before_or_after_run():
    from kiosk.cli import build_parser

    assert build_parser().parse_args(["--windowed", "run"]).windowed is True
    assert build_parser().parse_args(["run", "--windowed"]).windowed is True
    assert build_parser().parse_args(["run"]).windowed is False
    assert build_parser().parse_args([]).windowed is False


def test_export_verify_and_import_into_a_receiver_twice(tmp_path, capsys):
    from dataclasses import replace

    from kiosk.core.config import BUNDLED_CONFIG, load_config
    from kiosk.core.seed import sample_submissions
    from kiosk.core.storage import Store
    import random

    config = load_config(BUNDLED_CONFIG)
    with Store.open_in(tmp_path / "kiosk") as store:
        store.add_many(replace(s, is_sample=False) for s in
                       sample_submissions(config, ideas=6, drawings=2, rng=random.Random(2)))
    stick = tmp_path / "stick"
    stick.mkdir()
    assert main(["export", "--data-dir", str(tmp_path / "kiosk"), "--out", str(stick)]) == 0
    (bundle,) = stick.glob("*.zip")
    assert main(["verify-bundle", str(bundle)]) == 0
    receiver = ["receiver", "import", "--data-dir", str(tmp_path / "receiver"), str(bundle)]
    capsys.readouterr()
    assert main(receiver) == 0
    assert "8 new, 0 already there" in capsys.readouterr().out
    assert main(receiver) == 0
    assert "0 new, 8 already there" in capsys.readouterr().out
    bundle.write_bytes(b"PK not really a zip")
    assert main(["verify-bundle", str(bundle)]) == 2  # refused input, like a broken kiosk.toml (#14)
    assert main(receiver) == 2
    assert "not imported" in capsys.readouterr().err


def _without_display() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_run_without_a_display_says_how_in_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kiosk", "run", "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, env=_without_display(), timeout=60)
    assert proc.returncode == 1
    (line,) = [line for line in proc.stderr.splitlines() if line.startswith("kiosk:")]
    assert "no display" in line and "QT_QPA_PLATFORM=offscreen" in line and "xvfb-run" in line
    assert "apt-get install xvfb" in line
    assert "Traceback" not in proc.stderr
    assert "no display" in (tmp_path / "kiosk.log").read_text(encoding="utf-8")  # and in the log


def test_run_refuses_a_broken_config_before_any_window(broken_config, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kiosk", "run", "--config", str(broken_config),
                           "--data-dir", str(tmp_path)], capture_output=True, text=True,
                          env=_without_display(), timeout=60)
    assert proc.returncode == 2
    assert f"{broken_config}:3: error: kiosk.hide_cursor" in proc.stderr
    assert "Traceback" not in proc.stderr
