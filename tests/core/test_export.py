"""The export bundle: round trip, verification naming the damaged file, CSV dialect, full drives."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest

from kiosk.core import export, moderation
from kiosk.core.export import CSV_DIALECT, ExportError, export_store, iter_bundle, verify_bundle
from staff_helpers import CONFIG, TRICKY, drawing, idea, noisy_drawing


@pytest.fixture
def filled(store):
    subs = [idea(TRICKY), idea("=HYPERLINK(\"http://evil\")", is_sample=True), idea("Plain idea"),
            drawing(1), drawing(2, author_name="Mia")]
    for s in subs:
        store.add(s)
    store.withhold(subs[2].id, "personal_data")
    return store, subs


def usb(tmp_path: Path) -> Path:
    d = tmp_path / "stick"
    d.mkdir()
    return d


def test_round_trip_keeps_every_submission_and_passes_verify(filled, tmp_path):
    store, subs = filled
    result = export_store(store, CONFIG, usb(tmp_path))
    assert result.path.name.startswith(CONFIG.kiosk.id) and result.path.suffix == ".zip"
    # the sample is withheld too: samples never sync
    assert (result.items, result.ideas, result.drawings, result.withheld, result.samples) == (5, 3, 2, 2, 1)
    assert result.bytes == result.path.stat().st_size
    assert [p.name for p in result.path.parent.iterdir()] == [result.path.name]  # no temp file left

    report = verify_bundle(result.path)
    assert report.ok, report.problems
    assert report.counts["submissions"] == 5 and report.files == 2 + 4

    back = {item.submission.id: item for item in iter_bundle(result.path)}
    assert {s.id: s for s in subs} == {i: item.submission for i, item in back.items()}
    assert back[subs[2].id].status == "withheld" and back[subs[2].id].withheld_reason == "personal_data"
    with zipfile.ZipFile(result.path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert {f"drawings/{subs[3].id}.png", f"drawings/{subs[3].id}.strokes.json"} <= names
    assert manifest["kiosk_id"] == CONFIG.kiosk.id and manifest["event_id"] == CONFIG.event.id
    assert manifest["format_version"] == export.FORMAT_VERSION
    assert manifest["counts"]["withheld"] == 2 and manifest["counts"]["samples"] == 1
    assert all(len(f["sha256"]) == 64 and f["size"] > 0 for f in manifest["files"])


def test_csv_reads_back_with_the_documented_dialect(filled, tmp_path):
    store, subs = filled
    path = export_store(store, CONFIG, usb(tmp_path)).path
    with zipfile.ZipFile(path) as zf:
        raw = zf.read("ideas.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: German Excel then reads UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), **CSV_DIALECT))
    by_id = {r["id"]: r for r in rows}
    assert len(rows) == 3
    tricky = by_id[subs[0].id]
    assert tricky["text"] == TRICKY  # umlauts, quotes, semicolons, newline survive
    topic = CONFIG.topic(subs[0].topic_id)
    assert tricky["topic_title_de"] == topic.title.get_text("de")
    assert tricky["topic_title_en"] == topic.title.get_text("en")
    assert tricky["goal_title_de"] == topic.goals[0].title.get_text("de")
    assert by_id[subs[1].id]["text"].startswith("'=HYPERLINK")  # no formula runs in a spreadsheet
    assert by_id[subs[1].id]["is_sample"] == "yes"
    assert by_id[subs[2].id]["sync_status"] == "withheld"
    assert by_id[subs[2].id]["withheld_reason"] == "personal_data"


def test_a_direction_override_in_an_idea_cannot_reorder_the_sheet(store, tmp_path):
    """An idea stored with an open U+202E (by an older kiosk, or imported): in ideas.csv every cell
    is balanced, so the cells after it display as they are; the bundle's JSON keeps the record."""
    from kiosk.core.bidi import balance

    arabic, hebrew = "\u0641\u0643\u0631\u0629", "\u05e8\u05e2\u05d9\u05d5\u05df"
    sub = idea(f"Bänke {arabic} \u202ekraP {hebrew}", author_name="\u2067Dana")
    store.add(sub)
    path = export_store(store, CONFIG, usb(tmp_path)).path
    with zipfile.ZipFile(path) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("ideas.csv").decode("utf-8-sig"), newline=""), **CSV_DIALECT))
    assert rows[0]["text"] == f"Bänke {arabic} kraP {hebrew}" and rows[0]["author_name"] == "Dana"
    assert all(balance(cell) == cell for row in rows for cell in row.values())
    assert next(iter_bundle(path)).submission.text == sub.text  # the record itself, digest and all


def test_csv_round_trips_with_a_file_opened_as_documented(filled, tmp_path):
    store, subs = filled
    path = export_store(store, CONFIG, usb(tmp_path)).path
    out = tmp_path / "ideas.csv"
    with zipfile.ZipFile(path) as zf:
        out.write_bytes(zf.read("ideas.csv"))
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, **CSV_DIALECT))
    assert rows[0][0] == "id"
    assert TRICKY in [cell for row in rows for cell in row]


def rezip(path: Path, member: str, change) -> None:
    with zipfile.ZipFile(path) as zf:
        items = [(info, zf.read(info.filename)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w") as zf:
        for info, data in items:
            zf.writestr(info, change(data) if info.filename == member else data)


def flip(data: bytes, at: int = 10) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


@pytest.mark.parametrize("member", ["ideas.csv", "submissions.jsonl", "png", "strokes"])
def test_one_changed_byte_fails_verify_naming_the_file(filled, tmp_path, member):
    store, subs = filled
    path = export_store(store, CONFIG, usb(tmp_path)).path
    name = {"png": f"drawings/{subs[3].id}.png", "strokes": f"drawings/{subs[4].id}.strokes.json"}.get(member, member)
    rezip(path, name, flip)  # a consistent ZIP whose member differs from the manifest
    report = verify_bundle(path)
    assert not report.ok
    assert report.failed_file == name
    assert "sha256" in report.problems[0]


def test_a_flipped_byte_in_the_zip_file_itself_names_the_member(filled, tmp_path):
    store, subs = filled
    path = export_store(store, CONFIG, usb(tmp_path)).path
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(f"drawings/{subs[3].id}.png")
    raw = bytearray(path.read_bytes())
    raw[info.header_offset + 30 + len(info.filename) + 40] ^= 0xFF  # inside the stored PNG's bytes
    path.write_bytes(bytes(raw))
    report = verify_bundle(path)
    assert report.failed_file == info.filename, report.problems


def test_counts_that_disagree_with_the_manifest_fail(filled, tmp_path):
    store, _ = filled
    path = export_store(store, CONFIG, usb(tmp_path)).path

    def lie(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["counts"]["ideas"] = 4
        return json.dumps(manifest).encode()

    rezip(path, "manifest.json", lie)
    report = verify_bundle(path)
    assert not report.ok and "ideas" in report.problems[0]


def test_not_a_zip_is_reported(tmp_path):
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"hello")
    assert verify_bundle(bad).failed_file == "x.zip"


def test_export_never_overwrites_a_bundle(filled, tmp_path):
    store, _ = filled
    target = usb(tmp_path) / "mine.zip"
    target.write_bytes(b"precious")
    with pytest.raises(ExportError, match="already exists"):
        export_store(store, CONFIG, target)
    assert target.read_bytes() == b"precious"


def test_missing_folder_says_so(filled, tmp_path):
    store, _ = filled
    with pytest.raises(ExportError, match="does not exist"):
        export_store(store, CONFIG, tmp_path / "gone" / "x.zip")


def test_tombstones_and_purged_counts_are_in_the_manifest(filled, tmp_path):
    store, subs = filled
    moderation.delete(store, subs[1].id, "test entry")
    path = export_store(store, CONFIG, usb(tmp_path)).path
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["counts"]["tombstones"] == 1 and manifest["counts"]["purged"] == 0
    assert manifest["tombstones"][0]["submission_id"] == subs[1].id
    assert manifest["tombstones"][0]["reason"] == "test entry"
    assert verify_bundle(path).ok


class FullDisk:
    """A file that accepts ``limit`` bytes and then fails like a full (or pulled) drive."""

    def __init__(self, path: Path, limit: int, code: int = errno.ENOSPC) -> None:
        self._fh = open(path, "xb")
        self.limit, self.code = limit, code

    def write(self, data: bytes) -> int:
        if self._fh.tell() + len(data) > self.limit:
            raise OSError(self.code, os.strerror(self.code))
        return self._fh.write(data)

    def __getattr__(self, name):
        return getattr(self._fh, name)


@pytest.mark.parametrize("code,words", [(errno.ENOSPC, "is full"), (errno.EIO, "removed")])
def test_a_full_or_pulled_drive_leaves_no_file_and_says_why(filled, tmp_path, code, words):
    store, _ = filled
    stick = usb(tmp_path)
    with pytest.raises(ExportError, match=words) as info:
        export_store(store, CONFIG, stick, opener=lambda p: FullDisk(p, 4000, code))
    assert "Nothing was saved" in str(info.value)
    assert list(stick.iterdir()) == []


@pytest.fixture
def tiny_tmpfs(tmp_path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_really_too_small_filesystem_leaves_no_file(store, tiny_tmpfs):
    for i in range(2):
        store.add(noisy_drawing(i))  # 2 x 43 KB of PNG that does not compress: more than 64 KB
    store.add(idea(TRICKY))
    with pytest.raises(ExportError, match="is full"):  # no size estimate given: fails mid-write
        export.write_bundle(tiny_tmpfs, export.store_items(store), meta=export.BundleMeta("k", "e"),
                            titles=export.Titles.from_config(CONFIG), total=7)
    assert list(tiny_tmpfs.iterdir()) == []


def test_a_too_small_filesystem_is_refused_up_front(store, tiny_tmpfs):
    for i in range(2):
        store.add(noisy_drawing(i))
    with pytest.raises(ExportError, match="free"):
        export_store(store, CONFIG, tiny_tmpfs)
    assert list(tiny_tmpfs.iterdir()) == []


def test_progress_reports_to_the_end(filled, tmp_path):
    store, _ = filled
    seen = []
    export_store(store, CONFIG, usb(tmp_path), progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (5, 5)


def test_removable_drives_are_found_in_proc_mounts():
    from kiosk.core.drives import parse_mounts

    mounts = ("/dev/sda1 / ext4 rw 0 0\n"
              "/dev/sdb1 /media/kiosk/STICK vfat rw 0 0\n"
              "/dev/sdc1 /run/media/anna/My\\040Files exfat rw 0 0\n"
              "tmpfs /run/user/1000 tmpfs rw 0 0\n")
    assert [str(p) for p in parse_mounts(mounts)] == ["/media/kiosk/STICK", "/run/media/anna/My Files"]


@pytest.mark.parametrize("code,words", [(errno.ENOSPC, "is full"), (errno.EIO, "removed")])
def test_a_drive_that_fills_up_while_the_lines_stream_says_why(store, tmp_path, code, words):
    import random

    rng = random.Random(5)
    for i in range(300):  # text that does not compress: the JSONL member writes while it is open
        store.add(idea("".join(rng.choice("abcdefghijklmnopqrstuvwxyzäöü ") for _ in range(400))))
    stick = usb(tmp_path)
    with pytest.raises(ExportError, match=words):
        export_store(store, CONFIG, stick, opener=lambda p: FullDisk(p, 20_000, code))
    assert list(stick.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == "export-jsonl"]  # the writer thread is gone


def test_a_store_failing_mid_export_stops_the_writer_thread_and_leaves_no_file(store, tmp_path, monkeypatch):
    from kiosk.core.export import from_store as export
    from kiosk.core.storage import StoreError

    for i in range(350):
        store.add(idea(f"Idee Nummer {i}"))
    real = export._store_batches

    def failing(*args):
        for n, batch in enumerate(real(*args)):
            if n == 2:
                raise StoreError("disk I/O error while reading")
            yield batch

    monkeypatch.setattr(export, "_store_batches", failing)
    stick = usb(tmp_path)
    with pytest.raises(StoreError, match="disk I/O"):
        export_store(store, CONFIG, stick)
    assert list(stick.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == "export-jsonl"]
