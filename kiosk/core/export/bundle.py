"""The export bundle's format: what writing a bundle and reading it back share.

``docs/export-format.md`` describes the bundle; :data:`FORMAT_VERSION` is its
version. In short::

    submissions.jsonl          one line per submission: {"submission": <wire form>, "sync": {...}}
    ideas.csv                  UTF-8 with BOM, ';'-separated, one row per idea, topic titles
    drawings/<id>.png          a drawing as the child saw it
    drawings/<id>.strokes.json the strokes it was painted with
    manifest.json              format version, kiosk, event, time, counts, sha256+size of every file

Here: the member names and format constants, the values a bundle is made of
(:class:`BundleMeta`, :class:`BundleItem`, :class:`Titles`), the columns and
cells of ``ideas.csv``, the counts the manifest keeps, and :func:`human_bytes`
for messages to staff.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk import __version__
from kiosk.core.model import Submission, canonical_json, utc_now
from kiosk.core.sheet import guarded, own_cells
from kiosk.core.storage import SUBMISSION_COLUMNS

FORMAT_NAME = "smart-city-kiosk-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SUBMISSIONS = "submissions.jsonl"
IDEAS_CSV = "ideas.csv"
DRAWINGS_DIR = "drawings/"
BLOB_SUFFIX = {"png": ".png", "strokes": ".strokes.json"}


@dataclass(frozen=True, slots=True)
class BundleMeta:
    kiosk_id: str
    event_id: str
    exported_at: str = field(default_factory=utc_now)
    app_version: str = __version__
    source: str = "kiosk"


@dataclass(frozen=True, slots=True)
class BundleItem:
    """One submission and what the exporter knows about its delivery.

    ``delivered_by`` is set only in a receiver's bundle: who delivered the item
    to the receiver (the kiosk id of the token, or ``bundle:<kiosk id>``). A
    kiosk's lines leave it out, so they are byte-for-byte what they were.
    """

    submission: Submission
    status: str = "pending"
    withheld_reason: str | None = None
    receipt: dict | None = None
    delivered_by: str | None = None

    def line(self) -> bytes:
        sync = {"status": self.status, "withheld_reason": self.withheld_reason, "receipt": self.receipt}
        if self.delivered_by is not None:
            sync["delivered_by"] = self.delivered_by
        return canonical_json({"submission": self.submission.to_wire(), "sync": sync}) + b"\n"


@dataclass(frozen=True, slots=True)
class Titles:
    """Topic and goal titles per language, for the CSV. Empty for a receiver without config."""

    languages: tuple[str, ...] = ()
    topics: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    goals: Mapping[tuple[str, str], Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: Any) -> Titles:
        topics = {t.id: dict(t.title) for t in config.topics}
        goals = {(t.id, g.id): dict(g.title) for t in config.topics for g in t.goals}
        return cls(tuple(config.kiosk.languages), topics, goals)

    def topic(self, topic_id: str, lang: str) -> str:
        return self.topics.get(topic_id, {}).get(lang, "")

    def goal(self, topic_id: str, goal_id: str | None, lang: str) -> str:
        return self.goals.get((topic_id, goal_id or ""), {}).get(lang, "")


def bundle_name(meta: BundleMeta) -> str:
    """``<kiosk>_<event>_<UTC time>.zip``, safe on FAT-formatted sticks (no ':')."""
    stamp = meta.exported_at[:19].replace("-", "").replace(":", "")
    return f"{meta.kiosk_id}_{meta.event_id}_{stamp}Z.zip"


def blob_member(submission_id: str, role: str) -> str:
    return f"{DRAWINGS_DIR}{submission_id}{BLOB_SUFFIX[role]}"


def local_time(created_at: str) -> str:
    """``created_at`` in this machine's time zone, as a spreadsheet reads it."""
    when = datetime.fromisoformat(created_at.replace("Z", "+00:00")).astimezone()
    return when.strftime("%Y-%m-%d %H:%M:%S")


def csv_header(titles: Titles) -> list[str]:
    head = ["id", "reference_code", "created_at_utc", "created_local", "topic_id"]
    head += [f"topic_title_{lang}" for lang in titles.languages]
    head += ["goal_id"] + [f"goal_title_{lang}" for lang in titles.languages]
    head += ["title", "text", "author_name", "age_group", "district", "lives_here", "locale",
             "consent_given", "consent_version", "is_sample", "unfinished", "kiosk_id", "event_id",
             "platform_item_title", "platform_item_url", "sync_status", "withheld_reason"]
    return head


def csv_row(item: BundleItem, titles: Titles) -> list[str]:
    s = item.submission
    return csv_cells({name: getattr(s, name) for name in SUBMISSION_COLUMNS}, item.status,
                     item.withheld_reason, titles)


def csv_cells(s: Mapping[str, Any], status: str, withheld_reason: str | None, titles: Titles) -> list[str]:
    """The ``ideas.csv`` row of one submission, given its fields by name (a store row will do:
    flags may be 0/1 as well as booleans)."""
    topic_id, goal_id, created_at = s["topic_id"], s["goal_id"], s["created_at"]
    row = [s["id"], s["reference_code"], created_at, local_time(created_at)]
    row += title_cells(titles, topic_id, goal_id)
    return guarded(row) + own_cells(s) + guarded([status, withheld_reason or ""])


def title_cells(titles: Titles, topic_id: str, goal_id: str | None) -> list[str]:
    """``topic_id``, its titles, ``goal_id``, its titles: the sheet's cells after ``created_local``."""
    langs = titles.languages
    return ([topic_id] + [titles.topic(topic_id, lang) for lang in langs] + [goal_id or ""]
            + [titles.goal(topic_id, goal_id, lang) for lang in langs])


def new_counts() -> dict[str, int]:
    return {"submissions": 0, "ideas": 0, "drawings": 0, "withheld": 0, "samples": 0,
            "unfinished": 0, "blobs": 0}


def count_item(counts: dict[str, int], item: BundleItem) -> None:
    s = item.submission
    _count(counts, s.kind, item.status, s.is_sample, s.unfinished, len(s.blobs))


def _count(counts: dict[str, int], kind: str, status: str, is_sample: Any, unfinished: Any, blobs: int,
           n: int = 1) -> None:
    """Count ``n`` submissions alike."""
    counts["submissions"] += n
    counts["ideas" if kind == "idea" else "drawings"] += n
    counts["withheld"] += n * (status == "withheld")
    counts["samples"] += n * bool(is_sample)
    counts["unfinished"] += n * bool(unfinished)
    counts["blobs"] += n * blobs


def human_bytes(n: int | None) -> str:
    if n is None:
        return "?"
    value = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} bytes"
