"""`kiosk sync`, `kiosk receiver add-token/set-staff-password` and the demo setup: exit codes and output."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import requests

from kiosk.cli import main
from kiosk.cli.demo import demo_config, prepare_demo
from sync.receiver import ReceiverSettings, ReceiverThread
from sync.receiver.auth import TOKENS_FILE, token_hash

from sync_helpers import KIOSK_ID, assert_exactly_once, make_drawing, make_idea, mixed_submissions, staff_session


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def write_config(path: Path, endpoint: str, token_file: str = "sync.token") -> Path:
    path.write_text(f'[kiosk]\nid = "{KIOSK_ID}"\n\n[sync]\nenabled = true\nendpoint = "{endpoint}"\n'
                    f'token_file = "{token_file}"\nconnect_timeout_s = 1.0\nread_timeout_s = 3.0\n',
                    encoding="utf-8")
    return path


@pytest.fixture
def kiosk_setup(tmp_path, data_dir, receiver, token):
    (data_dir / "sync.token").write_text(token + "\n")
    return write_config(tmp_path / "kiosk.toml", receiver.url + "/api/v1")


def test_sync_delivers_and_exits_0(store, data_dir, kiosk_setup, receiver_dir):
    subs = mixed_submissions(5)
    for s in subs:
        store.add(s)
    code, out, err = run("sync", "--config", str(kiosk_setup), "--data-dir", str(data_dir))
    assert code == 0, err
    assert "Delivered: 5 new, 0 already on the receiver." in out and "Still pending: 0." in out
    assert "5/5" in err
    assert_exactly_once(store, receiver_dir, subs)
    code, out, _ = run("sync", "--config", str(kiosk_setup), "--data-dir", str(data_dir))
    assert code == 0 and "Delivered: 0 new" in out


def test_sync_wrong_token_exits_2(store, data_dir, kiosk_setup):
    (data_dir / "sync.token").write_text("wrong\n")
    store.add(make_idea())
    code, out, _ = run("sync", "--config", str(kiosk_setup), "--data-dir", str(data_dir))
    assert code == 2
    assert "token is wrong" in out and "Still pending: 1." in out


def test_sync_receiver_down_exits_1(store, tmp_path, data_dir, token):
    (data_dir / "sync.token").write_text(token)
    cfg = write_config(tmp_path / "k.toml", "http://127.0.0.1:9/api/v1")
    store.add(make_idea())
    code, out, _ = run("sync", "--config", str(cfg), "--data-dir", str(data_dir))
    assert code == 1 and "cannot reach the receiver" in out


def test_sync_not_configured_exits_2(tmp_path, data_dir):
    cfg = tmp_path / "k.toml"
    cfg.write_text("")
    code, _, err = run("sync", "--config", str(cfg), "--data-dir", str(data_dir))
    assert code == 2 and "not configured" in err


def test_sync_plain_http_to_network_host_exits_2(tmp_path, data_dir):
    cfg = tmp_path / "k.toml"
    cfg.write_text('[sync]\nendpoint = "http://192.0.2.1/api/v1"\ntoken_file = "t"\n')
    code, _, err = run("sync", "--config", str(cfg), "--data-dir", str(data_dir))
    assert code == 2 and "http://" in err


def test_sync_failed_is_reported_and_retry_failed_requeues(store, data_dir, kiosk_setup, receiver, token):
    sub = make_idea(1)
    store.add(sub)
    other = make_idea(2, id=sub.id)
    requests.put(f"{receiver.url}/api/v1/submissions/{sub.id}", data=other.canonical_json(),
                 headers={"Authorization": f"Bearer {token}"}, timeout=5)
    code, out, _ = run("sync", "--config", str(kiosk_setup), "--data-dir", str(data_dir))
    assert code == 0  # nothing pending: the failure is kept and shown, not retried forever
    assert "Failed: 1" in out and sub.id in out and "409" in out
    code, out, err = run("sync", "--retry-failed", "--config", str(kiosk_setup), "--data-dir", str(data_dir))
    assert "1 failed submission(s) will be tried again" in err and "Failed: 1" in out


def test_add_token_prints_it_once_and_keeps_only_the_hash(tmp_path):
    d = tmp_path / "rcv"
    code, out, err = run("receiver", "--data-dir", str(d), "add-token", "kiosk-9")
    assert code == 0
    token = out.strip()
    assert len(token) >= 40
    text = (d / TOKENS_FILE).read_text()
    assert token not in text and token_hash(token) in text
    assert (d / TOKENS_FILE).stat().st_mode & 0o077 == 0
    assert "only now" in err


def test_add_token_rejects_odd_kiosk_ids(tmp_path):
    code, _, err = run("receiver", "--data-dir", str(tmp_path), "add-token", "../evil")
    assert code == 2 and "kiosk id" in err


def test_receiver_needs_a_data_dir():
    code, _, err = run("receiver", "add-token", "k")
    assert code == 2 and "--data-dir" in err


def test_set_staff_password_sets_a_named_accounts_password_and_keeps_its_role(tmp_path, monkeypatch):
    """The shared staff password is gone; the command is kept for a named account of the staff app."""
    from sync.receiver.web.accounts import ACCOUNTS_FILE, Accounts, add_account

    code, _, err = run("receiver", "set-staff-password", "--stdin", "--data-dir", str(tmp_path))
    assert code == 2 and "shared staff password is gone" in err and "add-user NAME --role" in err
    code, _, err = run("receiver", "set-staff-password", "nobody", "--stdin", "--data-dir", str(tmp_path))
    assert code == 2 and "no staff account 'nobody'" in err and "add-user nobody" in err
    add_account(tmp_path, "ben", "staff", "the first password")
    from sync.receiver.storage import ReceiverStore
    from sync.receiver.web.sessions import Sessions

    store = ReceiverStore(tmp_path)
    token, _ = Sessions(store).start("ben")
    other, _ = Sessions(store).start("anna")
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    code, _, err = run("receiver", "set-staff-password", "ben", "--stdin", "--data-dir", str(tmp_path))
    assert code == 0 and "ben" in err and "sessions are ended" in err
    assert Sessions(store).get(token) is None and Sessions(store).get(other) is not None  # only ben's
    store.close()
    accounts = Accounts(tmp_path / ACCOUNTS_FILE)
    assert accounts.get("ben").role == "staff"
    assert accounts.verify("ben", "a long enough password") and not accounts.verify("ben", "the first password")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert run("receiver", "set-staff-password", "ben", "--stdin", "--data-dir", str(tmp_path))[0] == 2
    assert not (tmp_path / "staff-password.argon2").exists()
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit):
        main(["receiver", "set-staff-password", "--help"])
    assert "account of the staff web app" in " ".join(out.getvalue().split())


def test_demo_setup_gives_a_working_loop(tmp_path):
    from kiosk.core.config import Config
    from kiosk.core.storage import Store
    from sync.client import SyncClient

    setup = prepare_demo(tmp_path, "demo-kiosk")
    with ReceiverThread(ReceiverSettings(setup.receiver_dir)) as r:
        cfg = demo_config(Config(), r.url + "/api/v1", setup.token_file)
        assert cfg.sync.enabled and cfg.sync.endpoint.startswith("http://127.0.0.1")
        with Store.open_in(setup.kiosk_dir) as store:
            sub = make_drawing(1, kiosk_id="demo-kiosk")
            store.add(sub)
            client = SyncClient.from_config(store, cfg.sync, setup.kiosk_dir)
            assert client.sync_pending().delivered == 1
            client.close()
        page = staff_session(r.url, "staff", setup.staff_password).get(r.url + "/staff/overview", timeout=5)
        assert page.status_code == 200 and "demo-kiosk" in page.text
