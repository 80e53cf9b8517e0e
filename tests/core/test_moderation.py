"""Withhold/release, delete with tombstone, search, drafts: on a real store file."""

from __future__ import annotations

import pytest

from kiosk.core import moderation
from kiosk.core.moderation import ModerationError
from staff_helpers import TRICKY, drawing, idea


def test_withhold_needs_a_reason_and_release_undoes_it(store):
    sub = idea()
    store.add(sub)
    with pytest.raises(ModerationError, match="reason"):
        moderation.withhold(store, sub.id, "   ")
    moderation.withhold(store, sub.id, "  personal   data ")
    state = store.sync_state(sub.id)
    assert (state.status, state.withheld_reason) == ("withheld", "personal data")
    assert store.stats().by_state["withheld"] == 1
    moderation.release(store, sub.id)
    assert store.sync_state(sub.id).status == "pending"


def test_a_delivered_item_cannot_be_withheld(store):
    sub = idea()
    store.add(sub)
    store.mark_sent(sub.id, {"sha256": sub.digest()})
    with pytest.raises(ModerationError, match="delivered"):
        moderation.withhold(store, sub.id, "insulting")


def test_delete_leaves_a_tombstone_and_honest_counts(store):
    keep, gone = idea("bleibt"), drawing(3)
    store.add(keep)
    store.add(gone)
    stone = moderation.delete(store, gone.id, "insulting")
    assert store.get(gone.id) is None and store.sync_state(gone.id) is None
    assert store.count() == 1 and store.stats().by_kind == {"idea": 1}
    assert moderation.drawing_png(store, gone.id) is None
    assert moderation.tombstones(store) == [stone]
    assert (stone.submission_id, stone.kind, stone.reason, stone.status) == (gone.id, "drawing", "insulting", "pending")
    with pytest.raises(ModerationError):
        moderation.delete(store, gone.id, "again")
    with pytest.raises(ModerationError, match="reason"):
        moderation.delete(store, keep.id, "")
    assert store.get(keep.id) == keep


def test_an_item_brought_back_and_deleted_again_keeps_one_tombstone(store):
    sub = idea("kommt wieder")
    store.add(sub)
    moderation.delete(store, sub.id, "first")
    store.add(sub)                                   # e.g. imported again from a bundle
    stone = moderation.delete(store, sub.id, "second")
    assert moderation.tombstones(store) == [stone] and stone.reason == "second"
    assert store.get(sub.id) is None and store.count() == 0


def test_search_finds_any_case_umlauts_author_and_code(store):
    a, b, c = idea(TRICKY), idea("Fahrradbügel zählen", author_name="Jonas"), idea("other")
    for s in (a, b, c):
        store.add(s)
    store.add(drawing(1))
    assert [i.id for i in moderation.search(store, "ÄÖÜSS")] == [a.id]  # casefold: ß matches ss
    assert [i.id for i in moderation.search(store, "äöüß")] == [a.id]
    assert [i.id for i in moderation.search(store, "BÜGEL")] == [b.id]
    assert [i.id for i in moderation.search(store, "jonas")] == [b.id]
    assert [i.id for i in moderation.search(store, c.reference_code.lower())] == [c.id]
    assert len(moderation.search(store, "")) == 3
    assert len(moderation.search(store, "", kind="drawing")) == 1
    assert len(moderation.search(store, "", kind=None)) == 4


def test_drafts_are_listed_until_kept_or_discarded(store):
    draft1 = drawing(1, unfinished=True)
    draft2 = drawing(2, unfinished=True)
    store.add(draft1)
    store.add(draft2)
    store.withhold(draft1.id, "recovered unfinished drawing")
    store.add(drawing(3))
    assert {d.id for d in moderation.list_drafts(store)} == {draft1.id, draft2.id}
    moderation.keep_draft(store, draft1.id)
    assert store.sync_state(draft1.id).status == "pending"
    stone = moderation.discard_draft(store, draft2.id)
    assert stone.reason == moderation.DRAFT_DISCARD_REASON
    assert moderation.list_drafts(store) == []
    assert store.get(draft1.id) is not None and store.get(draft2.id) is None
