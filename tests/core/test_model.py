"""The one schema of a submission: what validate() lets through must be storable and hashable."""

from __future__ import annotations

import json

import pytest

from kiosk.core.model import Blob, SchemaError, Submission, has_lone_surrogate, submission_from_wire

TEXT_FIELDS = ["text", "topic_id", "consent_version", "locale", "kiosk_id", "event_id", "app_version",
               "goal_id", "title", "author_name", "district"]


def idea(**kw) -> Submission:
    values = dict(kind="idea", topic_id="mobility", text="Mehr Radwege", consent_given=True)
    values.update(kw)
    return Submission(**values)


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("bad", ["\ud800", "Radweg \udfff", "\udc00\ud83d", "🚲\ud83d"])
def test_a_lone_surrogate_is_refused_naming_the_field(field, bad):
    with pytest.raises(SchemaError) as caught:
        idea(**{field: bad})
    assert caught.value.field == field
    assert "surrogate" in str(caught.value)


@pytest.mark.parametrize("good", ["", "plain", "Grüße 🚲 \U0001f600", "\ue000\uffff", "a\u2028b", "\x00"])
def test_real_text_passes_and_encodes(good):
    sub = idea(text=good, title=good or None)
    assert json.loads(sub.canonical_json())["text"] == good
    assert not has_lone_surrogate(good)


def test_a_surrogate_from_json_escapes_is_refused_on_the_wire():
    wire = json.loads(json.dumps(idea().to_wire()).replace('"Mehr Radwege"', '"Mehr \\ud83d Radwege"'))
    with pytest.raises(SchemaError) as caught:
        submission_from_wire(wire, {})
    assert caught.value.field == "text"


def test_a_blob_media_type_must_be_text():
    with pytest.raises(SchemaError) as caught:
        Blob("png", b"\x89PNG", media_type="image/\ud800")
    assert caught.value.field == "blobs.media_type"
