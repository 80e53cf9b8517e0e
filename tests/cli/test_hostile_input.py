"""Bad input at the command line: one clear message and exit 2, never a traceback, nothing half done.

The cases of issue #14: a kiosk.toml with a URL that cannot be read, a number of thousands of
digits, nesting thousands deep, an unterminated string; ``--config`` naming /dev/zero or a FIFO;
``kiosk seed`` on a full disk; ``echo 4711 | kiosk hash-pin`` without a terminal.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.pin import verify_pin

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("toml, line, words", [
    ('[sync]\nendpoint = "https://[::1/api/v1"\n', 2, "sync.endpoint: must be an https:// URL"),
    ('[event]\nplatform_url = "https://[::1/api/v1"\n', 2, "event.platform_url: must be an http(s) URL"),
    ('[sync]\nendpoint = "https://receiver.example:port/api/v1"\n', 2, "sync.endpoint"),
    ("[flows]\ntext_limit = 1" + "0" * 5000 + "\n", 2, "a number with thousands of digits"),
    ("[idle]\ntimeout_s = 1" + "0" * 400 + "\n", 2, "idle.timeout_s: is far too large"),
    ("x = " + "[" * 100_000 + "\n", None, "nested too deeply"),
    ('[event]\nname = "Fest', 2, "Unterminated string; the value that starts on line 2 is not closed"),
    ('[event]\nname = "Fest"\n[consent]\ntext = """Ja,\nich stimme zu.\n', 4, "starts on line 4 is not closed"),
])
def test_check_config_names_the_problem_and_exits_2(tmp_path, capsys, toml, line, words):
    path = tmp_path / "kiosk.toml"
    path.write_text(toml, encoding="utf-8")
    code, out = run(capsys, "check-config", "--config", str(path))
    assert code == 2, out
    assert words in out
    where = f"{path}:{line}: error:" if line else f"{path}: error:"
    assert where in out
    assert "Traceback" not in out and "unexpected error" not in out


def test_a_broken_endpoint_stops_kiosk_run_with_exit_2_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "kiosk.toml"
    path.write_text('[sync]\nenabled = true\ntoken_file = "t"\nendpoint = "https://[::1/api/v1"\n')
    code, out = run(capsys, "stats", "--config", str(path), "--data-dir", str(tmp_path / "d"))
    assert code == 2 and "sync.endpoint" in out and "Traceback" not in out


def test_config_dev_zero_is_refused_at_once(capsys):
    code, out = run(capsys, "check-config", "--config", "/dev/zero")
    assert code == 2 and "/dev/zero: error: is not a regular file" in out


def test_config_fifo_is_refused_without_waiting_for_a_writer(tmp_path, capsys):
    fifo = tmp_path / "kiosk.toml"
    os.mkfifo(fifo)
    done: list[tuple[int, str]] = []
    worker = threading.Thread(target=lambda: done.append(run(capsys, "check-config", "--config", str(fifo))),
                              daemon=True)
    worker.start()
    worker.join(timeout=10)
    if not done:  # let the blocked open go, so the thread ends
        with open(fifo, "w"):
            pass
        worker.join(timeout=5)
        pytest.fail("check-config waited on the FIFO")
    code, out = done[0]
    assert code == 2 and "is not a regular file" in out


def test_a_huge_config_file_is_refused(tmp_path, capsys):
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b"# " + b"x" * 2_000_000 + b"\n")
    code, out = run(capsys, "check-config", "--config", str(path))
    assert code == 2 and "is larger than 1,000,000 bytes" in out


def test_seed_on_a_full_disk_says_so_and_adds_nothing(tmp_path, capsys):
    config = tmp_path / "kiosk.toml"
    config.write_text("[storage]\nmin_free_mb = 1000000000\n")  # a reserve no disk has: full
    data = tmp_path / "data"
    code, out = run(capsys, "seed", "--config", str(config), "--data-dir", str(data), "--ideas", "5")
    assert code == 2
    assert "is full" in out and "no samples were added" in out and "Traceback" not in out
    code, out = run(capsys, "stats", "--data-dir", str(data), "--json")
    assert code == 0 and '"total": 0' in out


def kiosk_subprocess(*argv: str, stdin: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # start_new_session: no controlling terminal either, as in a provisioning script over a pipe
    return subprocess.run([sys.executable, "-m", "kiosk", *argv], input=stdin, capture_output=True, text=True,
                          env=env, timeout=60, start_new_session=True)


def test_hash_pin_reads_a_pipe_when_there_is_no_terminal():
    proc = kiosk_subprocess("hash-pin", stdin="4711\n")
    assert proc.returncode == 0, proc.stderr
    assert verify_pin(proc.stdout.strip(), "4711")
    assert "Traceback" not in proc.stderr


def test_hash_pin_with_nothing_on_the_pipe_exits_2():
    proc = kiosk_subprocess("hash-pin", stdin="")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "kiosk: no staff PIN (digits) on standard input; nothing changed"


def test_set_staff_password_reads_a_pipe_too(tmp_path):
    from sync.receiver.web.accounts import ACCOUNTS_FILE, add_account, read_accounts

    add_account(tmp_path, "anna", "admin", "the first password")
    before = read_accounts(tmp_path / ACCOUNTS_FILE)["anna"].password_hash
    proc = kiosk_subprocess("receiver", "set-staff-password", "anna", "--data-dir", str(tmp_path),
                            stdin="a long enough password\n")
    assert proc.returncode == 0, proc.stderr
    after = read_accounts(tmp_path / ACCOUNTS_FILE)["anna"]
    assert after.role == "admin" and after.password_hash.startswith("$argon2") and after.password_hash != before
