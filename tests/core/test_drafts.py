"""Drafts: atomic files and recovery after a crash (kiosk/core/drafts.py, no Qt)."""

from __future__ import annotations

import json

from kiosk.core import drafts
from kiosk.core.drafts import DraftMeta
from kiosk.core.model import new_id, new_reference_code, utc_now
from fakes import FakeStore

STROKES = b'{"format":"kiosk-drawing","version":1,"width":4,"height":3,"background":"blank","items":[]}'


def meta() -> DraftMeta:
    return DraftMeta(id=new_id(), reference_code=new_reference_code(), created_at=utc_now(), topic_id="drawing",
                     kiosk_id="terminal-1", event_id="fest", app_version="0.1.0")


def test_save_load_and_clear(tmp_path):
    m = meta()
    drafts.save_draft(tmp_path, m, STROKES, b"\x89PNG fake")
    d = drafts.load_draft(tmp_path)
    assert d.meta == m and json.loads(d.strokes) == json.loads(STROKES) and d.png == b"\x89PNG fake"
    assert not list(drafts.drafts_dir(tmp_path).glob("*.tmp"))
    drafts.clear_draft(tmp_path)
    assert drafts.load_draft(tmp_path) is None


def test_recover_stores_unfinished_with_notice_and_clears(tmp_path):
    m = meta()
    drafts.save_draft(tmp_path, m, STROKES, b"png")
    store = FakeStore()
    sub = drafts.recover_draft(tmp_path, store)
    assert sub is not None and store.get(m.id) == sub
    assert sub.unfinished and sub.kind == "drawing" and not sub.consent_given and sub.author_name is None
    assert sub.reference_code == m.reference_code
    assert {b.role for b in sub.blobs} == {"png", "strokes"}
    assert [n[0] for n in store.notices] == ["recovered_draft"]
    assert drafts.load_draft(tmp_path) is None
    assert drafts.recover_draft(tmp_path, store) is None            # nothing left the second time


def test_recovery_is_idempotent_if_interrupted(tmp_path):
    m = meta()
    drafts.save_draft(tmp_path, m, STROKES, b"png")
    store = FakeStore()
    store.add(drafts.draft_submission(drafts.load_draft(tmp_path)))   # crashed after add, before clear
    drafts.recover_draft(tmp_path, store)
    assert len(store.subs) == 1


def test_png_that_does_not_match_is_left_out(tmp_path):
    m = meta()
    drafts.save_draft(tmp_path, m, STROKES, b"old png")
    (drafts.drafts_dir(tmp_path) / "current.png").write_bytes(b"newer png, json not yet written")
    sub = drafts.recover_draft(tmp_path, FakeStore())
    assert [b.role for b in sub.blobs] == ["strokes"]


def test_unreadable_draft_is_moved_aside_not_deleted(tmp_path):
    folder = drafts.drafts_dir(tmp_path)
    folder.mkdir()
    (folder / "current.json").write_text("{ not json")
    store = FakeStore()
    assert drafts.recover_draft(tmp_path, store) is None
    assert (folder / "current.unreadable.json").exists()
    assert store.notices[0][0] == "recovered_draft"
