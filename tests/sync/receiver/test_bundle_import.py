"""The receiver's "download everything": the kiosk's bundle format, end to end.

Real submissions (drawings too) go from kiosk stores through the sync client
to a real receiver on 127.0.0.1; the staff download must pass the kiosk's own
``verify_bundle``, and a second, fresh receiver must take it in with
``import_into_data_dir`` and then hold the same submissions with the same
digests, adding nothing on a second import.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest
import requests

from kiosk.cli import main as kiosk_main
from kiosk.core.export import CSV_DIALECT, Titles, csv_header, iter_bundle, verify_bundle
from sync.receiver import add_token
from sync.receiver.bundle_import import import_into_data_dir
from sync.receiver.bundle_export import EXPORT_TMP

from sync_helpers import (STAFF_PASSWORD, make_drawing, make_idea, mixed_submissions, receiver_digests, staff_login,
                          staff_session)

KIOSK_2 = "kiosk-test-2"
REPO = Path(__file__).resolve().parents[3]


def download(receiver, password: str = STAFF_PASSWORD) -> requests.Response:
    """Everything, as the staff web app downloads it (its export with no filter)."""
    return staff_session(receiver.url, password=password).get(receiver.url + "/staff/export/bundle.zip", timeout=30)


def stored(receiver_dir: Path) -> dict[str, tuple[str, bytes]]:
    """id -> (sha256, canonical JSON) of every submission, straight from the receiver's file."""
    with sqlite3.connect(receiver_dir / "receiver.sqlite3") as db:
        rows = db.execute("SELECT id, sha256, canonical FROM submissions").fetchall()
    return {i: (sha, bytes(canonical)) for i, sha, canonical in rows}


def blob_files(receiver_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (receiver_dir / "blobs").glob("??/*")}


def wait_empty(folder: Path, timeout_s: float = 5.0) -> list[Path]:
    """What is left in ``folder`` once the server had time to clean up after the response."""
    deadline = time.monotonic() + timeout_s
    while (left := list(folder.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left


@pytest.fixture
def two_kiosks_synced(store, receiver, receiver_dir, tmp_path, make_client):
    """Nine submissions from this kiosk and four from a second one, synced for real."""
    from kiosk.core.storage import Store

    ours = mixed_submissions(9)
    for s in ours:
        store.add(s)
    report = make_client().sync_pending()
    assert (report.delivered, report.remaining, report.failed) == (9, 0, [])

    token2 = add_token(receiver_dir, KIOSK_2)
    (tmp_path / "kiosk2").mkdir()
    store2 = Store.open_in(tmp_path / "kiosk2")
    theirs = [make_drawing(100 + i, kiosk_id=KIOSK_2) if i % 2 == 0 else make_idea(100 + i, kiosk_id=KIOSK_2)
              for i in range(4)]
    theirs.append(make_idea(99, kiosk_id=KIOSK_2, text='=HYPERLINK("x"); "quoted"\nzweite Zeile äöü'))
    for s in theirs:
        store2.add(s)
    report = make_client(store=store2, token=token2).sync_pending()
    assert (report.delivered, report.remaining, report.failed) == (5, 0, [])
    receipts = {s.id: store.sync_state(s.id).receipt for s in ours}
    receipts.update({s.id: store2.sync_state(s.id).receipt for s in theirs})
    store2.close()
    return ours, theirs, receipts


def test_download_is_a_kiosk_bundle_that_a_second_receiver_imports_once(
        two_kiosks_synced, receiver, receiver_dir, staff_password, tmp_path):
    ours, theirs, receipts = two_kiosks_synced
    subs = ours + theirs
    by_id = {s.id: s for s in subs}

    r = download(receiver)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    name = r.headers["content-disposition"].split('filename="', 1)[1].rstrip('"')
    assert name.startswith("receiver_fest-2024_") and name.endswith("Z.zip")
    assert ":" not in name
    bundle = tmp_path / name
    bundle.write_bytes(r.content)
    # The bundle was written to a temporary file, served, and removed after the response.
    assert wait_empty(receiver_dir / EXPORT_TMP) == []

    report = verify_bundle(bundle)
    assert report.ok, report.problems
    ideas = sum(s.kind == "idea" for s in subs)
    drawings = sum(s.kind == "drawing" for s in subs)
    assert dict(report.counts) == {"submissions": len(subs), "ideas": ideas, "drawings": drawings,
                                   "withheld": 0, "samples": 0, "unfinished": 0, "blobs": 2 * drawings}

    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist())
        for s in subs:
            for b in s.blobs:
                suffix = ".png" if b.role == "png" else ".strokes.json"
                assert zf.read(f"drawings/{s.id}{suffix}") == b.data
        lines = zf.read("submissions.jsonl").decode("utf-8").splitlines()
        rows = list(csv.reader(io.StringIO(zf.read("ideas.csv").decode("utf-8-sig"), newline=""),
                               **CSV_DIALECT))
    assert manifest["format"] == "smart-city-kiosk-bundle" and manifest["format_version"] == 1
    assert (manifest["source"], manifest["kiosk_id"], manifest["event_id"]) == ("receiver", "receiver", "fest-2024")
    assert {f["path"] for f in manifest["files"]} == names - {"manifest.json"}
    assert not any(n.startswith("blobs/") or n == "receipts.jsonl" for n in names)  # the old ad-hoc layout

    # One submission per line, all fields, with who delivered it and the receiver's receipt.
    assert len(lines) == len(subs)
    items = list(iter_bundle(bundle))
    assert {i.submission.id for i in items} == set(by_id)
    for item in items:
        sub = by_id[item.submission.id]
        assert item.submission.to_wire() == sub.to_wire()
        assert item.submission.digest() == sub.digest()
        assert item.status == "sent" and item.withheld_reason is None
        assert item.delivered_by == sub.kiosk_id
        assert item.receipt["sha256"] == sub.digest()
        assert item.receipt["received_at"] == receipts[sub.id]["received_at"]

    # ideas.csv: no kiosk.toml on the receiver, so no title columns; one row per idea, text intact.
    assert rows[0] == csv_header(Titles())
    assert len(rows) - 1 == ideas
    tricky = next(row for row in rows if row[0] == theirs[-1].id)
    assert tricky[rows[0].index("text")] == "'" + theirs[-1].text  # formula guard, rest verbatim
    assert tricky[rows[0].index("kiosk_id")] == KIOSK_2

    # A second, fresh receiver takes it in: same submissions, same digests, same blobs.
    second = tmp_path / "second-receiver"
    second.mkdir()
    first = import_into_data_dir(second, bundle)
    assert (first.created, first.existing, first.skipped_withheld, first.conflicts) == (len(subs), 0, 0, [])
    assert receiver_digests(second) == receiver_digests(receiver_dir) == {s.id: s.digest() for s in subs}
    assert stored(second) == stored(receiver_dir)
    assert blob_files(second) == blob_files(receiver_dir)

    # Importing it again adds nothing.
    again = import_into_data_dir(second, bundle)
    assert (again.created, again.existing, again.conflicts) == (0, len(subs), [])
    assert stored(second) == stored(receiver_dir)


@pytest.mark.parametrize("password", ["wrong password", "", None])
def test_no_bundle_without_signing_in(two_kiosks_synced, receiver, receiver_dir, staff_password, password):
    cookie = {}
    if password is not None:
        signed = staff_login(receiver.url, password=password)
        assert signed.status_code == 401 and "receiver_session" not in signed.cookies
        cookie = {"Cookie": "receiver_session=" + signed.cookies.get("receiver_session", "none")}
    r = requests.get(receiver.url + "/staff/export/bundle.zip", headers=cookie, timeout=10, allow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/staff/login?")
    assert not r.content.startswith(b"PK")
    assert "attachment" not in r.headers.get("content-disposition", "")
    assert list((receiver_dir / EXPORT_TMP).iterdir()) == []  # nothing was even written
    old = requests.get(receiver.url + "/staff/export.zip", auth=("staff", STAFF_PASSWORD), timeout=10)
    assert old.status_code == 404 and not old.content.startswith(b"PK")  # the HTTP-Basic download is gone


def test_empty_receiver_gives_a_valid_empty_bundle(receiver, staff_password, tmp_path):
    r = download(receiver)
    assert r.status_code == 200
    bundle = tmp_path / "empty.zip"
    bundle.write_bytes(r.content)
    report = verify_bundle(bundle)
    assert report.ok and report.counts["submissions"] == 0
    with zipfile.ZipFile(bundle) as zf:
        assert json.loads(zf.read("manifest.json"))["event_id"] == "none"


def test_damaged_blob_on_the_receiver_stops_the_download(two_kiosks_synced, receiver, receiver_dir,
                                                         staff_password):
    ours = two_kiosks_synced[0]
    png = next(s for s in ours if s.kind == "drawing").blob("png")
    path = receiver_dir / "blobs" / png.sha256[:2] / png.sha256
    path.write_bytes(png.data[:-1] + bytes([png.data[-1] ^ 1]))
    r = download(receiver)
    assert r.status_code == 500
    assert "es wurde nichts exportiert" in r.text and "nothing was exported" in r.text  # the reason, in English
    assert "Traceback" not in r.text
    assert wait_empty(receiver_dir / EXPORT_TMP) == []


def test_cli_export_writes_the_same_bundle_with_titles_from_a_kiosk_config(
        store, receiver_dir, tmp_path, make_client, capsys):
    from kiosk.core.config import load_config

    config = load_config(REPO / "kiosk" / "kiosk.toml")
    topic = config.topics[0]
    subs = [make_idea(1, topic_id=topic.id), make_idea(2, topic_id="not-in-the-config")]
    for s in subs:
        store.add(s)
    assert make_client().sync_pending().delivered == 2

    out = tmp_path / "out"
    out.mkdir()
    code = kiosk_main(["receiver", "--data-dir", str(receiver_dir), "export", "--out", str(out),
                       "--name", "city-receiver", "--titles-from", str(REPO / "kiosk" / "kiosk.toml")])
    assert code == 0
    bundle = Path(capsys.readouterr().out.strip())
    assert bundle.parent == out and bundle.name.startswith("city-receiver_fest-2024_")
    assert [p.name for p in out.iterdir()] == [bundle.name]  # no temporary file left beside it
    assert verify_bundle(bundle).ok
    with zipfile.ZipFile(bundle) as zf:
        assert json.loads(zf.read("manifest.json"))["kiosk_id"] == "city-receiver"
        rows = list(csv.DictReader(io.StringIO(zf.read("ideas.csv").decode("utf-8-sig"), newline=""),
                                   **CSV_DIALECT))
    langs = config.kiosk.languages
    by_topic = {row["topic_id"]: row for row in rows}
    for lang in langs:
        assert by_topic[topic.id][f"topic_title_{lang}"] == topic.title[lang]
        assert by_topic["not-in-the-config"][f"topic_title_{lang}"] == ""


def test_cli_export_refuses_a_folder_without_receiver_data(tmp_path, capsys):
    code = kiosk_main(["receiver", "--data-dir", str(tmp_path / "nothing"), "export", "--out", str(tmp_path)])
    assert code == 2
    assert "no receiver data" in capsys.readouterr().err
    assert not (tmp_path / "nothing").exists()


def test_import_beside_a_running_receiver_leaves_its_uploads_alone(receiver, receiver_dir, staff_password,
                                                                    tmp_path):
    """`kiosk receiver import` on the live data dir must not delete a blob being uploaded."""
    response = download(receiver, staff_password)
    bundle = tmp_path / "empty.zip"
    bundle.write_bytes(response.content)
    from sync.receiver.storage import BLOB_DIR

    in_flight = receiver_dir / BLOB_DIR / ".tmp" / "upload-in-progress"
    in_flight.parent.mkdir(parents=True, exist_ok=True)
    in_flight.write_bytes(b"half a drawing")
    result = import_into_data_dir(receiver_dir, bundle)
    assert result.ok and result.created == 0
    assert in_flight.read_bytes() == b"half a drawing"
