"""An idea attached to a proposal or debate of the participation platform (``platform_item``):
the wire field, its validation, the store, the export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from kiosk.core.export import CSV_DIALECT
from kiosk.core.model import (PlatformItemRef, SchemaError, accepted_digests, canonical_json, sha256_hex,
                              submission_from_wire, without_optional_fields)
from staff_helpers import idea
from tests.core.test_export_lines import at, both_ways

REF = PlatformItemRef(kind="proposal", id="142", url="https://mitmachen.example.org/proposals/142",
                      title="=Mehr Bänke am Löbdergraben 🌳")


def test_the_wire_field_has_exactly_the_agreed_shape():
    sub = idea("Bänke mit Lehne", platform_item=REF, status_token="A" * 32)
    wire = sub.to_wire()
    assert wire["platform_item"] == {"kind": "proposal", "id": "142",
                                     "url": "https://mitmachen.example.org/proposals/142",
                                     "title": "=Mehr Bänke am Löbdergraben 🌳"}
    assert submission_from_wire(json.loads(sub.canonical_json()), {}) == sub


def test_an_idea_without_one_keeps_its_old_wire_form_and_digest():
    sub = idea("Bänke")
    assert "platform_item" not in sub.to_wire()
    assert b"platform_item" not in sub.canonical_json()
    assert accepted_digests(sub) == {sub.digest()}


def test_every_form_an_older_receiver_may_have_been_sent_is_accepted():
    sub = idea("Bänke", platform_item=REF, status_token="A" * 32)
    wire = sub.canonical_json()
    forms = [wire, without_optional_fields(wire), without_optional_fields(wire, keep={"status_token"}),
             without_optional_fields(wire, keep={"platform_item"})]
    assert {sha256_hex(f) for f in forms} == accepted_digests(sub)
    assert len(accepted_digests(sub)) == 4
    assert b"platform_item" not in without_optional_fields(wire, keep={"status_token"})
    assert b"status_token" in without_optional_fields(wire, keep={"status_token"})


@pytest.mark.parametrize("bad, field", [
    ({"kind": "comment", "id": "1", "url": "https://x.example/1", "title": "T"}, "platform_item.kind"),
    ({"kind": "proposal", "id": "1", "url": "javascript:alert(1)", "title": "T"}, "platform_item.url"),
    ({"kind": "proposal", "id": "1", "url": "ftp://x.example/1", "title": "T"}, "platform_item.url"),
    ({"kind": "proposal", "id": "1", "url": "https://", "title": "T"}, "platform_item.url"),
    ({"kind": "proposal", "id": "1", "url": "https://x.example/a b", "title": "T"}, "platform_item.url"),
    ({"kind": "proposal", "id": "1", "url": "https://x.example/1", "title": "T" * 201}, "platform_item.title"),
    ({"kind": "proposal", "id": "1", "url": "https://x.example/1", "title": "  "}, "platform_item.title"),
    ({"kind": "proposal", "id": "", "url": "https://x.example/1", "title": "T"}, "platform_item.id"),
    ({"kind": "proposal", "id": "1" * 101, "url": "https://x.example/1", "title": "T"}, "platform_item.id"),
    ({"kind": "proposal", "id": "1", "url": "https://x.example/1", "title": "\ud800"}, "platform_item.title"),
    ({"kind": "proposal", "id": "1", "url": "https://x.example/1"}, "platform_item"),
    ({"kind": "proposal", "id": "1", "url": "https://x.example/1", "title": "T", "summary": "s"}, "platform_item"),
    ({"kind": "proposal", "id": 1, "url": "https://x.example/1", "title": "T"}, "platform_item"),
    ("https://x.example/1", "platform_item"),
    (None, "platform_item"),
])
def test_a_wrong_platform_item_is_refused_naming_the_field(bad, field):
    wire = json.loads(idea("Bänke").canonical_json())
    wire["platform_item"] = bad
    with pytest.raises(SchemaError) as err:
        submission_from_wire(wire, {})
    assert err.value.field == field


def test_the_title_may_be_200_characters_and_the_url_plain_http():
    ref = PlatformItemRef("debate", "d-7", "http://127.0.0.1:8080/debates/7", "Ä" * 200)
    assert idea("x", platform_item=ref).platform_item == ref


def test_the_store_keeps_it_and_gives_it_back(store):
    sub = idea("Bänke mit Lehne", platform_item=REF)
    store.add(sub)
    assert store.get(sub.id) == sub
    assert store.get(sub.id).platform_item == REF
    (text,) = store.query("SELECT platform_item FROM submissions WHERE id = ?", (sub.id,))[0]
    assert json.loads(text) == REF.to_wire()
    assert store.outgoing(sub.id).wire == sub.canonical_json()
    with pytest.raises(sqlite3.IntegrityError, match="immutable"), store.transaction() as conn:
        conn.execute("UPDATE submissions SET platform_item = NULL WHERE id = ?", (sub.id,))


def test_the_export_carries_it_in_both_files_and_both_ways(store, tmp_path):
    with_ref = idea("Bänke mit Lehne", created_at=at(0), platform_item=REF)
    without = idea("Trinkbrunnen", created_at=at(1))
    store.add(with_ref)
    store.add(without)
    got, want = both_ways(store, tmp_path)
    assert got == want
    lines = [json.loads(line) for line in got["submissions.jsonl"].splitlines()]
    assert lines[0]["submission"]["platform_item"] == REF.to_wire()
    assert "platform_item" not in lines[1]["submission"]
    rows = list(csv.DictReader(io.StringIO(got["ideas.csv"].decode("utf-8-sig"), newline=""), **CSV_DIALECT))
    assert rows[0]["platform_item_title"] == "'=Mehr Bänke am Löbdergraben 🌳"  # the formula guard
    assert rows[0]["platform_item_url"] == REF.url
    assert rows[1]["platform_item_title"] == rows[1]["platform_item_url"] == ""
    assert canonical_json(lines[0]["submission"]) == with_ref.canonical_json()
