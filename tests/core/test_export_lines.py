"""The export's fast path (lines built by SQL from the stored rows) writes the same bytes
as the slow path (every submission rebuilt and validated, then encoded in Python)."""

from __future__ import annotations

import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.core import export
from kiosk.core.export import ExportError, export_store, verify_bundle
from kiosk.core.export import from_store, write
from kiosk.core.storage import created_sort_key
from staff_helpers import CONFIG, TRICKY, drawing, idea, open_store

NOW = "2022-07-03T18:05:12.345Z"


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def both_ways(store, tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The bundle as export_store writes it, and as the slow path writes it."""
    fast_dir, slow_dir = tmp_path / "fast", tmp_path / "slow"
    fast_dir.mkdir(exist_ok=True)
    slow_dir.mkdir(exist_ok=True)
    fast = export_store(store, CONFIG, fast_dir, now=NOW).path
    meta = export.BundleMeta(kiosk_id=CONFIG.kiosk.id, event_id=CONFIG.event.id, exported_at=NOW)
    slow = export.write_bundle(slow_dir, export.store_items(store), meta=meta,
                               titles=export.Titles.from_config(CONFIG), extra_counts={"purged": 0}).path
    assert verify_bundle(fast).ok
    got, want = members(fast), members(slow)
    for path in (fast, slow):
        path.unlink()
    return got, want


def at(minutes: int) -> str:
    when = datetime(2022, 7, 3, 8, 0, tzinfo=timezone.utc) + timedelta(minutes=minutes, seconds=7)
    return when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


FORMULAS = ["=1+1", "+49 3641", "-minus", "@at", "\tTab", "\rCR", "'quoted'", ""]


def test_tricky_content_gives_the_same_bytes_both_ways(store, tmp_path):
    subs = [idea(TRICKY, created_at=at(0), title="a;b", author_name='He said "hi"', district="Lobeda\r\nOst"),
            idea("plain", created_at=at(1), lives_here=None, goal_id=None, consent_given=False),
            idea("x", created_at=at(2), topic_id="no-such-topic", goal_id="no-such-goal", locale="=de",
                 consent_version="-1", kiosk_id="@k", event_id="+e", is_sample=True),
            drawing(1, created_at=at(3), author_name="Mia"), drawing(2, created_at=at(4), unfinished=True, blobs=()),
            idea("withheld", created_at=at(5)), idea("failed", created_at=at(6)), idea("sent", created_at=at(7)),
            *(idea(f, created_at=at(10 + i), title=f, author_name=f, district=f) for i, f in enumerate(FORMULAS))]
    for s in subs:
        store.add(s)
    store.withhold(subs[5].id, '=personal; "data"\n')
    store.mark_failed(subs[6].id, "422: text")
    store.mark_sent(subs[7].id, {"submission_id": subs[7].id, "sha256": subs[7].digest(), "received_at": NOW,
                                 "status": "created", "protocol": 1, "note": "ä\u2028\"\\"})
    got, want = both_ways(store, tmp_path)
    assert got == want


def test_the_csv_fast_path_takes_rows_without_quotes_and_the_csv_module_the_rest(store, tmp_path):
    store.add(idea("ohne Sonderzeichen", created_at=at(0)))
    store.add(idea('mit "Anführung"', created_at=at(1)))
    got, want = both_ways(store, tmp_path)
    assert got["ideas.csv"] == want["ideas.csv"]
    assert b'"mit ""Anf\xc3\xbchrung"""' in got["ideas.csv"]


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(st.tuples(_text, _text, _text, st.one_of(st.none(), _text)), min_size=1, max_size=4),
       reason=_text)
def test_any_text_gives_the_same_bytes_both_ways(tmp_path_factory, texts, reason):
    tmp = tmp_path_factory.mktemp("lines")
    with open_store(tmp / "data") as store:
        subs = [idea(text, title=title or None, author_name=author or None, district=district,
                     created_at=at(i)) for i, (text, title, author, district) in enumerate(texts)]
        for s in subs:
            store.add(s)
        if reason.strip():
            store.withhold(subs[0].id, reason)
        got, want = both_ways(store, tmp)
    assert got == want


def test_the_slow_path_is_taken_when_sqlite_escapes_json_differently(store, tmp_path, monkeypatch):
    store.add(idea(TRICKY, created_at=at(0)))
    store.add(drawing(1, created_at=at(1)))
    assert from_store._sqlite_json_matches(store)
    want, _ = both_ways(store, tmp_path)
    monkeypatch.setattr(from_store, "_sqlite_json_matches", lambda store: False)
    monkeypatch.setattr(from_store, "_store_batches", None)  # the fast path would fail loudly
    got, _ = both_ways(store, tmp_path)
    assert got == want


def test_a_damaged_blob_stops_the_export_and_leaves_no_file(store, tmp_path):
    sub = drawing(1)
    store.add(sub)
    with store.transaction() as conn:
        conn.execute("UPDATE blobs SET data = ? WHERE submission_id = ? AND role = 'png'", (b"\x89PNG broken", sub.id))
    out = tmp_path / "stick"
    out.mkdir()
    with pytest.raises(ExportError, match=f"png of submission {sub.id} is damaged"):
        export_store(store, CONFIG, out)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "UTC"])
def test_local_times_per_minute_equal_local_time_across_dst(zone, monkeypatch):
    if not Path("/usr/share/zoneinfo", zone).exists():
        pytest.skip(f"no tz data for {zone}")
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        local = from_store._LocalTimes()
        start = datetime(2022, 3, 13, 0, 0, 7, 123456, tzinfo=timezone.utc)  # covers both March DST changes
        for minutes in range(0, 16 * 24 * 60, 11):
            when = start + timedelta(minutes=minutes)
            for created_at in (when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), when.isoformat()):
                assert local(created_sort_key(created_at)) == export.local_time(created_at), created_at
    finally:
        monkeypatch.undo()
        time.tzset()


def test_values_missing_from_the_lookup_tables_are_made_one_by_one(store, tmp_path, monkeypatch):
    """Every lookup (minutes, titles, reasons) empty: the SQL functions make the same cells."""
    subs = [idea(TRICKY, created_at=at(0), title="a;b"), idea("x", created_at=at(1), topic_id="no-such-topic"),
            idea("y", created_at=at(2)), drawing(1, created_at=at(3))]
    for s in subs:
        store.add(s)
    store.withhold(subs[2].id, '=personal; "data"\n')
    want, _ = both_ways(store, tmp_path)
    real = from_store._lookup_tables
    monkeypatch.setattr(from_store, "_lookup_tables",
                        lambda *a: {name: (columns, []) for name, (columns, _rows) in real(*a).items()})
    got, _ = both_ways(store, tmp_path)
    assert got == want


def test_a_row_stored_without_its_texts_is_rebuilt(store, tmp_path):
    """A row lacking ``wire``/``sheet_cells`` (not written by this store) still exports right."""
    from kiosk.core import storage

    subs = [idea("erste", created_at=at(0)), idea('zweite; "mit" Zeichen', created_at=at(1)),
            drawing(1, created_at=at(2))]
    for s in subs:
        store.add(s)
    with store.transaction() as conn:
        for s in subs[1:]:
            storage.delete_submission_rows(conn, s.id)
            row = {k: v for k, v in storage.submission_row(s).items() if k not in ("wire", "sheet_cells")}
            conn.execute(f"INSERT INTO submissions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                         tuple(row.values()))
            conn.executemany("INSERT INTO blobs (submission_id, role, position, media_type, sha256, size, data) "
                             "VALUES (:submission_id, :role, :position, :media_type, :sha256, :size, :data)",
                             storage.blob_rows(s))
    assert store.query("SELECT count(*) FROM submissions WHERE wire IS NULL")[0][0] == 2
    got, want = both_ways(store, tmp_path)
    assert got == want
    assert b"zweite" in got["ideas.csv"]


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/St_Johns"])
def test_an_export_across_a_dst_change_gives_the_same_bytes_both_ways(store, tmp_path, zone, monkeypatch):
    if not Path("/usr/share/zoneinfo", zone).exists():
        pytest.skip(f"no tz data for {zone}")
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        start = datetime(2022, 3, 13, 4, 50, 7, tzinfo=timezone.utc)  # St. John's changes 2022-03-13
        for i, minutes in enumerate([0, 20, 40, 60, 80] + [14 * 24 * 60 - 30 + 15 * k for k in range(6)]):
            when = (start + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
            store.add(idea(f"Idee {i}", created_at=when))
        got, want = both_ways(store, tmp_path)
        assert got == want
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("entry", [
    {"path": "drawings/x.png", "sha256": "ab" * 32, "size": 12},
    {"path": 'odd "name"\n ä', "sha256": "00" * 32, "size": 0},
    {"path": "x", "sha256": "not hex!", "size": 1},
    {"path": "x", "sha256": "ab" * 32, "size": True},
    {"path": "x", "sha256": "ab" * 32, "size": 3, "extra": None},
])
def test_a_manifest_file_entry_is_written_as_json_dumps_writes_it(entry):
    import json

    assert write._file_entry_json(entry) == json.dumps(entry, ensure_ascii=False, sort_keys=True)


def test_a_time_whose_separator_needs_quotes_gives_the_same_bytes_both_ways(store, tmp_path):
    """fromisoformat takes any character between date and time, ';' and '"' too."""
    store.add(idea("Semikolon", created_at="2022-07-03;10:00:00Z"))
    store.add(idea("Anführung", created_at='2022-07-03"10:01:00Z'))
    store.add(idea("normal", created_at="2022-07-03T10:02:00Z"))
    got, want = both_ways(store, tmp_path)
    assert got == want
    assert b'"2022-07-03;10:00:00Z"' in got["ideas.csv"]


def test_sheet_cells_made_on_two_threads_at_once_are_each_right():
    import sys
    import threading

    from kiosk.core.sheet import own_cells_text

    def values(i: int) -> dict:
        return {"title": None, "text": f'Idee "{i}"; mit Text', "author_name": f"Name {i}", "age_group": None,
                "district": None, "lives_here": None, "locale": "de", "consent_given": True,
                "consent_version": "v1", "is_sample": False, "unfinished": False, "kiosk_id": f"k{i}",
                "event_id": "e"}

    want = {i: own_cells_text(values(i)) for i in range(2)}
    wrong: list[str] = []

    def run(i: int) -> None:
        for _ in range(3000):
            got = own_cells_text(values(i))
            if got != want[i]:
                wrong.append(got)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert wrong == []


def test_the_manifest_names_the_csv_columns_in_their_order(store, tmp_path):
    import csv
    import io
    import json

    store.add(idea("eine Idee", created_at=at(0)))
    got, _ = both_ways(store, tmp_path)
    header = next(csv.reader(io.StringIO(got["ideas.csv"].decode("utf-8-sig"), newline=""), **export.CSV_DIALECT))
    assert json.loads(got["manifest.json"])["csv_columns"] == header
    assert header[-6:] == ["kiosk_id", "event_id", "platform_item_title", "platform_item_url",
                           "sync_status", "withheld_reason"]
