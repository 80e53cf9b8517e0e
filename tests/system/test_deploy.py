"""The terminal's systemd units pass ``systemd-analyze verify``.

They are verified offline, in a root folder: the files ``kiosk install-terminal --root`` wrote,
this machine's own systemd units, and stand-ins for the programs they start (cage, udisksctl,
the kiosk) and for udisks2.service, which a terminal has and this machine need not. A full boot
under systemd cannot run here (no systemd as PID 1 in the test machine); see deploy/terminal/README.md.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import need

from kiosk.cli import main

UNITS = ("smart-city-kiosk.service", "smart-city-kiosk-usb@sda1.service")


@pytest.fixture
def root(tmp_path, capsys) -> Path:  # noqa: ANN001
    need("systemd-analyze")
    root = tmp_path / "root"
    assert main(["install-terminal", "--root", str(root), "--kiosk", "/opt/kiosk/bin/kiosk"]) == 0
    capsys.readouterr()
    system = next(p for p in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")) if p.is_dir())
    shutil.copytree(system, root / "usr/lib/systemd/system", symlinks=True, dirs_exist_ok=True)
    (root / "usr/lib/systemd/system/udisks2.service").write_text(
        "[Unit]\nDescription=stand-in\n[Service]\nExecStart=/usr/bin/udisksctl\n")
    for program in ("usr/bin/cage", "usr/bin/udisksctl", "opt/kiosk/bin/kiosk"):
        path = root / program
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
    return root


def verify(root: Path, *units: str) -> subprocess.CompletedProcess:
    return subprocess.run(["systemd-analyze", "verify", f"--root={root}", *units], capture_output=True, text=True,
                          timeout=60)


def test_the_units_pass_systemd_analyze_verify(root) -> None:
    done = verify(root, *UNITS)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_verify_would_catch_a_broken_unit(root) -> None:
    unit = root / "etc/systemd/system/smart-city-kiosk.service"
    unit.write_text(unit.read_text().replace("Restart=always", "Restart=alwayz"))
    (root / "usr/bin/cage").unlink()
    done = verify(root, UNITS[0])
    assert "alwayz" in done.stderr and "/usr/bin/cage" in done.stderr
