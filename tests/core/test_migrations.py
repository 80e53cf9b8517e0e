"""Schema history: every older version, built with raw SQL, opens and migrates with its data."""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
from pathlib import Path

import pytest

from kiosk.core import storage
from kiosk.core.model import Blob, Submission
from kiosk.core.storage import DB_FILENAME, MIGRATIONS, SCHEMA_VERSION, Store, StoreError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\xff" * 500
STROKES = b"[[[1,1],[2,3]]]"

# Rows as a kiosk of that version wrote them: literal values, no help from the code under test.
ROWS = [
    dict(id="3f2c6a1e-8d4b-4c1a-9e2f-0a1b2c3d4e5f", kind="idea", topic_id="mobility",
         text="Mehr Fahrradständer am Holzmarkt 🚲", goal_id="g-2", title=None, author_name="Jürgen",
         age_group="50-64", district="Zentrum", lives_here=1, consent_given=1, consent_version="2024-1",
         locale="de", kiosk_id="kiosk-1", event_id="fest-2024", app_version="0.1.0", is_sample=0,
         unfinished=0, reference_code="ACDEF3", created_at="2024-06-01T10:00:00.123Z",
         created_key="2024-06-01T10:00:00.123000Z"),
    dict(id="7a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d", kind="drawing", topic_id="play",
         text="", goal_id=None, title="Baumhaus", author_name="Mia", age_group="under-12",
         district=None, lives_here=None, consent_given=1, consent_version="2024-1", locale="de",
         kiosk_id="kiosk-1", event_id="fest-2024", app_version="0.1.0", is_sample=0, unfinished=0,
         reference_code="QRTUV4", created_at="2024-06-01T09:30:00Z",
         created_key="2024-06-01T09:30:00.000000Z"),
    dict(id="c0ffee00-1234-4abc-8def-0123456789ab", kind="idea", topic_id="climate",
         text="Beispiel: Trinkbrunnen", goal_id=None, title=None, author_name=None, age_group=None,
         district=None, lives_here=0, consent_given=0, consent_version="", locale="en",
         kiosk_id="kiosk-1", event_id="fest-2024", app_version="0.1.0", is_sample=1, unfinished=0,
         reference_code="XY7946", created_at="2024-06-01T08:00:00.000Z",
         created_key="2024-06-01T08:00:00.000000Z"),
    *(dict(id=f"5e1f0c2a-000{i}-4b6d-9a7e-3c4d5e6f7a8b", kind="idea", topic_id="mobility",
           text=f"Idee {i}: Tempo 30 \u2705", goal_id=None, title=None, author_name=None, age_group="18-29",
           district=None, lives_here=1, consent_given=1, consent_version="2024-1", locale="de",
           kiosk_id="kiosk-1", event_id="fest-2024", app_version="0.1.0", is_sample=0, unfinished=0,
           reference_code=f"PQR{i}67", created_at=f"2024-06-01T11:0{i}:00.000+00:00",
           created_key=f"2024-06-01T11:0{i}:00.000000Z") for i in (3, 4)),
]
BLOBS = {"7a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d": [("png", "image/png", PNG), ("strokes", "application/json", STROKES)]}
STATES_V2 = {  # what the sync worker of v2 had recorded
    "3f2c6a1e-8d4b-4c1a-9e2f-0a1b2c3d4e5f": ("sent", 2, "timeout", '{"digest":"abc","n":1}', None),
    "7a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d": ("withheld", 0, None, None, "shows a face"),
}


def insert_v1(conn: sqlite3.Connection) -> None:
    for row in ROWS:
        conn.execute(f"INSERT INTO submissions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                     tuple(row.values()))
    for sub_id, blobs in BLOBS.items():
        for position, (role, media_type, data) in enumerate(blobs):
            conn.execute("INSERT INTO blobs (submission_id, role, position, media_type, sha256, size, data) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (sub_id, role, position, media_type, hashlib.sha256(data).hexdigest(), len(data), data))


def insert_v2(conn: sqlite3.Connection) -> None:
    insert_v1(conn)
    for sub_id, (status, attempts, error, receipt, reason) in STATES_V2.items():
        conn.execute("UPDATE sync_state SET status = ?, attempts = ?, last_error = ?, receipt = ?, "
                     "withheld_reason = ? WHERE submission_id = ?",
                     (status, attempts, error, receipt, reason, sub_id))


def insert_v3(conn: sqlite3.Connection) -> None:
    insert_v2(conn)
    conn.execute("INSERT INTO notices (kind, message, at, path) VALUES "
                 "('moved_aside', 'The database was damaged and moved aside.', '2024-06-01T07:00:00Z', '/x')")


# What the staff tools of v4 created on first use, before a migration owned their tables.
STAFF_TABLES_V4 = """
CREATE TABLE IF NOT EXISTS staff_tombstones (
    submission_id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, topic_id TEXT NOT NULL,
    is_sample INTEGER NOT NULL, created_key TEXT NOT NULL, status TEXT NOT NULL,
    deleted_at TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS staff_purged (
    submission_id TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL, topic_id TEXT NOT NULL,
    is_sample INTEGER NOT NULL, created_key TEXT NOT NULL, sha256 TEXT NOT NULL, receipt TEXT,
    delivered INTEGER NOT NULL, purged_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS staff_submissions_hour_kind ON submissions (created_key, kind);
CREATE INDEX IF NOT EXISTS staff_sync_state_status ON sync_state (status, updated_at);
CREATE TABLE IF NOT EXISTS staff_draft_decisions (
    submission_id TEXT PRIMARY KEY NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('keep', 'discard')), decided_at TEXT NOT NULL)
"""
TOMBSTONE = ("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", "idea", "mobility", 0, "2024-06-01T07:30:00.000000Z",
             "pending", "2024-06-01T12:00:00.000Z", "insulting")
PURGED = ("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "drawing", "play", 0, "2024-06-01T07:45:00.000000Z",
          "ab" * 32, '{"sha256":"' + "ab" * 32 + '"}', 1, "2024-06-02T09:00:00.000Z")


def insert_v4(conn: sqlite3.Connection) -> None:
    """v4 data, on a file where staff had already deleted one item and purged another."""
    insert_v3(conn)
    for statement in STAFF_TABLES_V4.split(";"):
        conn.execute(statement)
    conn.execute("INSERT INTO staff_tombstones VALUES (?, ?, ?, ?, ?, ?, ?, ?)", TOMBSTONE)
    conn.execute("INSERT INTO staff_purged VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", PURGED)


def insert_v5(conn: sqlite3.Connection) -> None:
    """v5 data: the staff tables are the migration's now; staff also decided on a draft."""
    insert_v4(conn)
    conn.execute("INSERT INTO staff_draft_decisions VALUES (?, 'keep', '2024-06-01T13:00:00.000Z')",
                 (ROWS[1]["id"],))


def insert_v6(conn: sqlite3.Connection) -> None:
    """v6 data: the overview's counts exist; nothing new to write by hand."""
    insert_v5(conn)


def insert_v7(conn: sqlite3.Connection) -> None:
    """v7 data: rows without consent start withheld; nothing new to write by hand."""
    insert_v6(conn)


# v8: the ideas.csv text of ROWS[0]'s own cells (title .. event_id), written out by hand
SHEET_CELLS_ROW0 = ";Mehr Fahrradständer am Holzmarkt 🚲;Jürgen;50-64;Zentrum;yes;de;yes;2024-1;no;no;kiosk-1;fest-2024"
SHEET_CELLS_V8 = {
    ROWS[0]["id"]: SHEET_CELLS_ROW0,
    ROWS[2]["id"]: ";Beispiel: Trinkbrunnen;;;;no;en;no;;yes;no;kiosk-1;fest-2024",
    **{ROWS[i]["id"]: f";Idee {i}: Tempo 30 \u2705;;18-29;;yes;de;yes;2024-1;no;no;kiosk-1;fest-2024" for i in (3, 4)},
}


def insert_v8(conn: sqlite3.Connection) -> None:
    """v8 data: a kiosk of v8 wrote each row with its wire JSON and (ideas) its sheet cells."""
    for row in ROWS:
        values = {**row, "wire": expected(row).canonical_json().decode(), "sheet_cells": SHEET_CELLS_V8.get(row["id"])}
        conn.execute(f"INSERT INTO submissions ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                     tuple(values.values()))
    for sub_id, blobs in BLOBS.items():
        for position, (role, media_type, data) in enumerate(blobs):
            conn.execute("INSERT INTO blobs (submission_id, role, position, media_type, sha256, size, data) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (sub_id, role, position, media_type, hashlib.sha256(data).hexdigest(), len(data), data))
    for sub_id, (status, attempts, error, receipt, reason) in STATES_V2.items():
        conn.execute("UPDATE sync_state SET status = ?, attempts = ?, last_error = ?, receipt = ?, "
                     "withheld_reason = ? WHERE submission_id = ?", (status, attempts, error, receipt, reason, sub_id))
    conn.execute("INSERT INTO notices (kind, message, at, path) VALUES "
                 "('moved_aside', 'The database was damaged and moved aside.', '2024-06-01T07:00:00Z', '/x')")
    conn.execute("INSERT INTO staff_tombstones VALUES (?, ?, ?, ?, ?, ?, ?, ?)", TOMBSTONE)
    conn.execute("INSERT INTO staff_purged VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", PURGED)
    conn.execute("INSERT INTO staff_draft_decisions VALUES (?, 'keep', '2024-06-01T13:00:00.000Z')", (ROWS[1]["id"],))


INSERTERS = {1: insert_v1, 2: insert_v2, 3: insert_v3, 4: insert_v4, 5: insert_v5, 6: insert_v6, 7: insert_v7,
             8: insert_v8, 9: insert_v8, 10: insert_v8}
# v9 changed no table: a v9 file holds what a v8 one does; v10 added a column, NULL for these rows


def counted_the_slow_way(store: Store) -> tuple[list[tuple], list[tuple]]:
    """Per-hour and per-reason counts grouped from the base tables, as v6's tables must hold them."""
    hours = store.query("SELECT hour, kind, count(*) FROM (SELECT substr(created_key, 1, 13) AS hour, kind "
                        "FROM submissions UNION ALL SELECT substr(created_key, 1, 13), kind FROM staff_purged) "
                        "GROUP BY 1, 2 ORDER BY 1, 2")
    reasons = store.query("SELECT status, coalesce(last_error, withheld_reason, ''), count(*) FROM sync_state "
                          "WHERE status IN ('failed', 'withheld') GROUP BY 1, 2 ORDER BY 1, 2")
    return [tuple(r) for r in hours], [tuple(r) for r in reasons]


def counted_by_triggers(store: Store) -> tuple[list[tuple], list[tuple]]:
    hours = store.query("SELECT hour, kind, n FROM submission_hours WHERE n > 0 ORDER BY 1, 2")
    reasons = store.query("SELECT status, reason, n FROM sync_reason_counts WHERE n > 0 ORDER BY 1, 2")
    return [tuple(r) for r in hours], [tuple(r) for r in reasons]


def build_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    storage.migrate(conn, MIGRATIONS[:version])
    conn.execute("BEGIN")
    INSERTERS[version](conn)
    conn.execute("COMMIT")
    conn.close()


def expected(row: dict) -> Submission:
    values = {k: v for k, v in row.items() if k != "created_key"}
    for name in ("lives_here", "consent_given", "is_sample", "unfinished"):
        if values[name] is not None:
            values[name] = bool(values[name])
    blobs = tuple(Blob(role=role, data=data, media_type=mt) for role, mt, data in BLOBS.get(row["id"], []))
    return Submission(**values, blobs=blobs)


def test_history_is_named_and_versioned():
    assert SCHEMA_VERSION == len(MIGRATIONS) == 11
    assert [m.__name__ for m in MIGRATIONS] == ["create_submissions_and_blobs", "add_sync_state",
                                                "add_notices_and_counts", "withhold_samples",
                                                "add_staff_tables", "add_overview_counts",
                                                "withhold_without_consent", "store_wire_and_sheet_text",
                                                "balance_sheet_text", "add_status_token",
                                                "add_platform_item"]


def test_a_new_file_records_every_migration(tmp_path):
    with Store.open_in(tmp_path) as s:
        rows = s._conn.execute("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").fetchall()
        assert [(r[0], r[1]) for r in rows] == [(i + 1, m.__name__) for i, m in enumerate(MIGRATIONS)]
        assert all(r[2].endswith("Z") for r in rows)
        assert storage.migrate(s._conn) == []


def test_every_version_built_for_this_test_exists():
    assert sorted(INSERTERS) == list(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_an_older_file_migrates_and_keeps_its_data(tmp_path, version):
    db = tmp_path / DB_FILENAME
    build_version(db, version)
    with Store(db) as s:
        names = [r[0] for r in s._conn.execute("SELECT name FROM schema_migrations ORDER BY version")]
        assert names == [m.__name__ for m in MIGRATIONS]
        for row in ROWS:
            assert s.get(row["id"]) == expected(row)
        # v8: each row got its canonical JSON and (ideas) its own sheet cells; still immutable after
        texts = {r[0]: (r[1], r[2]) for r in s.query("SELECT id, wire, sheet_cells FROM submissions")}
        for row in ROWS:
            assert texts[row["id"]][0].encode() == expected(row).canonical_json()
        # v11: two more cells (the platform's proposal: title, link), empty for ideas stored before;
        # just what a new store writes for the same idea
        assert texts[ROWS[0]["id"]][1] == SHEET_CELLS_ROW0 + ";;"
        for row in ROWS:
            assert texts[row["id"]][1] == storage.submission_row(expected(row))["sheet_cells"]
        assert texts[ROWS[1]["id"]][1] is None  # a drawing has no row in ideas.csv
        with pytest.raises(sqlite3.IntegrityError, match="immutable"), s.transaction() as conn:
            conn.execute("UPDATE submissions SET wire = '{}' WHERE id = ?", (ROWS[0]["id"],))
        oldest_first = [ROWS[i]["id"] for i in (2, 1, 0, 3, 4)]
        assert [sub.id for sub in itertools.islice(s.iter_submissions(), 6)] == oldest_first
        # v4: the seeded sample (ROWS[2]) is withheld, whatever the older file said
        states = dict(STATES_V2 if version >= 2 else {})
        states[ROWS[2]["id"]] = ("withheld", 0, None, None, "sample")
        for row in ROWS:
            state = s.sync_state(row["id"])
            status, attempts, error, receipt, reason = states.get(row["id"], ("pending", 0, None, None, None))
            assert (state.status, state.attempts, state.last_error, state.withheld_reason) == \
                (status, attempts, error, reason)
            assert state.receipt == (None if receipt is None else {"digest": "abc", "n": 1})
        stats = s.stats()
        assert stats.total == s.count() == 5
        assert stats.by_kind == {"idea": 4, "drawing": 1}
        assert stats.by_topic == {"mobility": 3, "play": 1, "climate": 1}
        assert stats.samples == 1
        groups = s._conn.execute("SELECT n FROM submission_counts WHERE kind = 'idea' AND topic_id = 'mobility' "
                                 "AND status = 'pending'").fetchone()[0]
        if version >= 2:
            assert stats.by_state == {"pending": 2, "sent": 1, "failed": 0, "withheld": 2}
            assert s.pending_ids() == [ROWS[i]["id"] for i in (3, 4)]
            assert groups == 2
        else:
            assert stats.by_state == {"pending": 4, "sent": 0, "failed": 0, "withheld": 1}
            assert s.pending_ids() == [ROWS[i]["id"] for i in (1, 0, 3, 4)]
            assert groups == 3
        # and it goes on working: new rows and changes are counted
        new = Submission(kind="idea", topic_id="mobility", text="Noch eine Idee", created_at="2024-06-01T07:00:00Z",
                         consent_given=True, consent_version="2024-1")
        s.add(new)
        sample = Submission(kind="idea", topic_id="climate", text="Beispiel", is_sample=True)
        s.add(sample)
        assert s.sync_state(sample.id).status == "withheld"
        s.release(ROWS[1]["id"])
        assert s.pending_ids()[:2] == [new.id, ROWS[1]["id"]]
        assert s.stats().by_topic["mobility"] == 4
        assert s.stats().by_state["pending"] == (4 if version >= 2 else 5)
        assert s.stats().by_state["withheld"] == (2 if version >= 2 else 2)
        assert [n.kind for n in s.notices] == (["moved_aside"] if version >= 3 else [])
        # v5: the staff tables exist, with what the v4 staff tools had put there
        assert [tuple(r) for r in s.query("SELECT * FROM staff_tombstones")] == ([TOMBSTONE] if version >= 4 else [])
        assert [tuple(r) for r in s.query("SELECT * FROM staff_purged")] == ([PURGED] if version >= 4 else [])
        assert s.query("SELECT count(*) FROM staff_draft_decisions")[0][0] == (1 if version >= 5 else 0)
        # v6: the overview's counts start from what the file held, and follow every change
        hours, reasons = counted_by_triggers(s)
        assert (hours, reasons) == counted_the_slow_way(s)
        assert sum(n for _, _, n in hours) == 7 + (1 if version >= 4 else 0)
        assert ("withheld", "sample", 2) in reasons
        indexes = {r[0] for r in s.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"staff_submissions_hour_kind", "staff_sync_state_status"} <= indexes
        with s.transaction() as conn:
            storage.delete_submission_rows(conn, new.id)
        assert s.stats().by_topic["mobility"] == 3 and s.count() == 6
        s.mark_failed(ROWS[0]["id"] if version < 2 else ROWS[3]["id"], "422: text")
        assert counted_by_triggers(s) == counted_the_slow_way(s)


def test_a_failing_migration_leaves_the_previous_version(tmp_path):
    def break_halfway(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration bug")

    conn = sqlite3.connect(tmp_path / DB_FILENAME, isolation_level=None)
    with pytest.raises(RuntimeError):
        storage.migrate(conn, MIGRATIONS[:1] + (break_halfway,))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half_done" not in tables and "submissions" in tables
    assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == 1
    assert storage.migrate(conn) == ["add_sync_state", "add_notices_and_counts", "withhold_samples",
                                     "add_staff_tables", "add_overview_counts", "withhold_without_consent",
                                     "store_wire_and_sheet_text", "balance_sheet_text", "add_status_token",
                                     "add_platform_item"]
    conn.close()


def test_a_file_from_a_newer_app_is_refused_not_moved(tmp_path):
    Store.open_in(tmp_path).close()
    with sqlite3.connect(tmp_path / DB_FILENAME) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', '2030-01-01T00:00:00Z')")
    with pytest.raises(StoreError, match="newer"):
        Store.open_in(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if "corrupt" in p.name) == []


def test_a_different_history_is_refused():
    with pytest.raises(StoreError, match="add_sync_state"):
        storage.migrations_to_run({1: "create_submissions_and_blobs", 2: "something_else"}, MIGRATIONS)
    assert storage.migrations_to_run({1: "create_submissions_and_blobs"}, MIGRATIONS) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert storage.migrations_to_run({}, MIGRATIONS) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]


def test_v7_withholds_rows_without_consent_and_unfinished_drawings(tmp_path):
    """A file of v6 with such rows pending: after v7 they are withheld, in the same open."""
    db = tmp_path / DB_FILENAME
    conn = sqlite3.connect(db, isolation_level=None)
    storage.migrate(conn, MIGRATIONS[:6])
    no_consent = dict(ROWS[1], id="0d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a", consent_given=0, consent_version="",
                      reference_code="ACDEF4")
    unfinished = dict(ROWS[1], id="9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b", unfinished=1, consent_given=0,
                      consent_version="", reference_code="ACDEF6")
    for row in (no_consent, unfinished, ROWS[0]):
        conn.execute(f"INSERT INTO submissions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                     tuple(row.values()))
    assert [r[0] for r in conn.execute("SELECT status FROM sync_state")] == ["pending"] * 3
    conn.close()
    with Store(db) as s:
        assert (s.sync_state(no_consent["id"]).status, s.sync_state(no_consent["id"]).withheld_reason) == \
            ("withheld", storage.NO_CONSENT_REASON)
        assert (s.sync_state(unfinished["id"]).status, s.sync_state(unfinished["id"]).withheld_reason) == \
            ("withheld", storage.UNFINISHED_REASON)
        assert s.pending_ids() == [ROWS[0]["id"]]
        assert counted_by_triggers(s) == counted_the_slow_way(s)
        # and from now on such rows are withheld in the very transaction that stores them
        drawing = Submission(kind="drawing", topic_id="play", blobs=(Blob("png", PNG),), consent_given=False)
        s.add(drawing)
        assert s.sync_state(drawing.id).status == "withheld"
        assert s.pending_ids() == [ROWS[0]["id"]]


def test_v9_balances_the_sheet_text_an_older_kiosk_stored_with_a_pasted_override(tmp_path):
    """A v8 kiosk stored a pasted U+202E as typed, in the idea and in its ideas.csv cells; after v9
    the sheet text is balanced (the override dropped) and the submission itself is as it was."""
    db = tmp_path / DB_FILENAME
    conn = sqlite3.connect(db, isolation_level=None)
    storage.migrate(conn, MIGRATIONS[:8])
    row = dict(ROWS[3], id="5e1f0c2a-0009-4b6d-9a7e-3c4d5e6f7a8b", text="Radweg \u202eetraK", reference_code="PQR967")
    wire = expected(row).canonical_json().decode()
    conn.execute(f"INSERT INTO submissions ({', '.join(row)}, wire, sheet_cells) VALUES "
                 f"({', '.join('?' * (len(row) + 2))})",
                 (*row.values(), wire, ";Radweg \u202eetraK;;18-29;;yes;de;yes;2024-1;no;no;kiosk-1;fest-2024"))
    conn.close()
    with Store(db) as s:
        assert s.query("SELECT sheet_cells FROM submissions WHERE id = ?", (row["id"],))[0][0] == \
            ";Radweg etraK;;18-29;;yes;de;yes;2024-1;no;no;kiosk-1;fest-2024;;"  # v11: two more cells
        assert s.query("SELECT wire FROM submissions WHERE id = ?", (row["id"],))[0][0] == wire
        assert s.get(row["id"]).text == "Radweg \u202eetraK"  # the record is immutable; the sheet is not a record
        with pytest.raises(sqlite3.IntegrityError, match="immutable"), s.transaction() as c:
            c.execute("UPDATE submissions SET sheet_cells = '' WHERE id = ?", (row["id"],))
