"""``kiosk install-terminal --root DIR``: the files of a terminal, written idempotently, and taken away."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.config import BUNDLED_CONFIG
from kiosk.core.terminal import DESTINATIONS, TEMPLATES, volatile_reason

UNIT = "etc/systemd/system/smart-city-kiosk.service"


def unit_of(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture
def installed(tmp_path, capsys) -> Path:
    root = tmp_path / "root"
    assert main(["install-terminal", "--root", str(root), "--kiosk", "/opt/kiosk/bin/kiosk"]) == 0
    return root


def test_the_service_starts_cage_with_the_kiosk_on_tty1_and_restarts_it(installed) -> None:
    unit = unit_of(installed / UNIT)
    service = unit["Service"]
    assert service["ExecStart"] == "/usr/bin/cage -d -- /opt/kiosk/bin/kiosk run"
    assert (service["User"], service["Restart"], service["TTYPath"]) == ("kiosk", "always", "/dev/tty1")
    assert (service["Type"], service["NotifyAccess"], service["WatchdogSec"]) == ("notify", "all", "30")
    assert service["PAMName"] == "smart-city-kiosk" and (installed / "etc/pam.d/smart-city-kiosk").exists()
    assert "Environment=KIOSK_DATA_DIR=/var/lib/smart-city-kiosk" in (installed / UNIT).read_text()
    assert "Environment=KIOSK_CONFIG=/etc/smart-city-kiosk/kiosk.toml" in (installed / UNIT).read_text()
    assert unit["Unit"]["Conflicts"] == "getty@tty1.service"
    assert unit["Install"]["WantedBy"] == "graphical.target"
    assert "@" not in service["ExecStart"] + service["User"]  # every placeholder filled in


def test_usb_sticks_are_mounted_for_the_kiosk_user_and_blanking_is_off(installed) -> None:
    rule = (installed / "etc/udev/rules.d/90-smart-city-kiosk-usb.rules").read_text()
    assert 'ENV{ID_BUS}=="usb"' in rule and "smart-city-kiosk-usb@%k.service" in rule
    mount = unit_of(installed / "etc/systemd/system/smart-city-kiosk-usb@.service")["Service"]
    assert mount["User"] == "kiosk" and mount["ExecStart"].startswith("/usr/bin/udisksctl mount")
    polkit = (installed / "etc/polkit-1/rules.d/50-smart-city-kiosk.rules").read_text()
    assert 'subject.user == "kiosk"' in polkit and "filesystem-mount-other-seat" in polkit
    tmpfiles = (installed / "usr/lib/tmpfiles.d/smart-city-kiosk.conf").read_text()
    assert "d /var/lib/smart-city-kiosk 0750 kiosk kiosk -" in tmpfiles
    assert "w /sys/module/kernel/parameters/consoleblank - - - - 0" in tmpfiles
    assert (installed / "etc/smart-city-kiosk/kiosk.toml").read_bytes() == BUNDLED_CONFIG.read_bytes()
    assert (installed / "var/lib/smart-city-kiosk").is_dir()


def test_running_it_again_changes_nothing(installed, capsys) -> None:
    capsys.readouterr()
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in installed.rglob("*") if p.is_file()}
    assert main(["install-terminal", "--root", str(installed), "--kiosk", "/opt/kiosk/bin/kiosk"]) == 0
    out = capsys.readouterr().out
    assert "written:" not in out and out.count("unchanged:") == len(DESTINATIONS) + 1
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in installed.rglob("*") if p.is_file()}
    assert after == before


def test_an_edited_config_is_kept(installed, capsys) -> None:
    config = installed / "etc/smart-city-kiosk/kiosk.toml"
    config.write_text("# ours\n", encoding="utf-8")
    assert main(["install-terminal", "--root", str(installed), "--kiosk", "/opt/kiosk/bin/kiosk"]) == 0
    assert config.read_text(encoding="utf-8") == "# ours\n"


def test_uninstall_removes_the_files_and_keeps_config_and_data(installed, capsys) -> None:
    (installed / "var/lib/smart-city-kiosk/kiosk.db").write_bytes(b"contributions")
    assert main(["install-terminal", "--uninstall", "--root", str(installed)]) == 0
    for path, _ in DESTINATIONS.values():
        assert not (installed / path).exists(), path
    assert (installed / "var/lib/smart-city-kiosk/kiosk.db").read_bytes() == b"contributions"
    assert (installed / "etc/smart-city-kiosk/kiosk.toml").exists()
    assert "would run: systemctl disable --now smart-city-kiosk.service" in capsys.readouterr().out


def test_options_name_user_paths_and_what_would_run(tmp_path, capsys) -> None:
    root = tmp_path / "root"
    assert main(["install-terminal", "--root", str(root), "--user", "stand", "--kiosk", "/srv/k/bin/kiosk",
                 "--config", "/srv/k/kiosk.toml", "--data-dir", "/srv/k/data"]) == 0
    out = capsys.readouterr().out
    text = (root / UNIT).read_text()
    assert "User=stand" in text and "KIOSK_DATA_DIR=/srv/k/data" in text and "KIOSK_CONFIG=/srv/k/kiosk.toml" in text
    assert (root / "srv/k/kiosk.toml").exists() and (root / "srv/k/data").is_dir()
    assert "would run: apt-get install -y --no-install-recommends cage udisks2" in out
    assert "would run: systemctl enable smart-city-kiosk.service" in out


def test_without_root_and_without_root_dir_it_refuses(monkeypatch, capsys) -> None:
    monkeypatch.setattr("os.geteuid", lambda: 1000)
    assert main(["install-terminal"]) == 2
    assert "run it as root" in capsys.readouterr().err


def test_templates_are_shipped_with_the_package() -> None:
    assert TEMPLATES.resolve() == (Path(__file__).resolve().parents[2] / "deploy" / "terminal")
    assert all((TEMPLATES / name).is_file() for name in DESTINATIONS)


MOUNTS = """\
/dev/mmcblk0p2 / ext4 rw,noatime 0 0
overlay /media/root-ro overlay ro 0 0
tmpfs /tmp tmpfs rw,nosuid 0 0
/dev/sda1 /srv/data ext4 rw 0 0
"""


@pytest.mark.parametrize("path, volatile", [
    ("/var/lib/smart-city-kiosk", False),
    ("/tmp/kiosk", True),
    ("/srv/data/kiosk", False),
])
def test_a_data_dir_in_ram_is_warned_about(path, volatile) -> None:
    reason = volatile_reason(Path(path), MOUNTS)
    assert (reason is not None) is volatile
    if volatile:
        assert "RAM" in reason and "lost at power-off" in reason


def test_a_raspberry_pi_overlay_root_is_warned_about() -> None:
    mounts = "overlayroot / overlay rw,lowerdir=/media/root-ro,upperdir=/media/root-rw/overlay 0 0\n"
    reason = volatile_reason(Path("/var/lib/smart-city-kiosk"), mounts)
    assert reason and "overlay" in reason and "raspi-config" in reason
