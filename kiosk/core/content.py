"""Content from the participation platform: current proposals and debates, kept offline.

``kiosk content pull`` (``sync.content_pull``) writes them into a content file (TOML) that
``kiosk.toml`` names in ``[content] file``; ``kiosk check-config`` validates it with
:func:`parse_content`. Each item is shown on the terminal with its title and summary, no
network needed. :func:`items_for_topic` decides which items a field of action offers.
Pure but for :func:`load_items`, which reads the file a config names.
"""

from __future__ import annotations

import json
import logging
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.core.model import PLATFORM_ITEM_MAX_TITLE, PlatformItemRef, SchemaError, validate_platform_item

log = logging.getLogger("kiosk.content")

CONTENT_FORMAT = 1
KINDS = ("proposal", "debate")
MAX_ITEMS = 2000
MAX_SUMMARY_CHARS = 600


@dataclass(frozen=True, slots=True)
class PlatformItem:
    kind: str
    id: str
    title: str
    summary: str
    url: str
    tags: tuple[str, ...] = ()
    geozone: str = ""


def _s(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, and json.dumps writes no ``\\/``)."""
    return json.dumps(value, ensure_ascii=False)


def content_toml(items: list[PlatformItem], source: str, pulled_at: str) -> str:
    lines = ["# Pulled from the participation platform by `kiosk content pull`; named in kiosk.toml",
             "# as [content] file. Pull again before the event to refresh it; edit it to drop an item.",
             f"format = {CONTENT_FORMAT}", f"source = {_s(source)}", f"pulled_at = {_s(pulled_at)}", ""]
    for item in items:
        lines += ["[[items]]", f"kind = {_s(item.kind)}", f"id = {_s(item.id)}", f"title = {_s(item.title)}",
                  f"summary = {_s(item.summary)}", f"url = {_s(item.url)}",
                  f"tags = [{', '.join(_s(t) for t in item.tags)}]", f"geozone = {_s(item.geozone)}", ""]
    return "\n".join(lines)


def parse_content(text: str) -> tuple[list[PlatformItem], list[str]]:
    """The items of a content file and every problem found (``items[3].url: ...``)."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        return [], [f"not valid TOML: {str(exc)[:200]}"]
    problems: list[str] = []
    if data.get("format") != CONTENT_FORMAT:
        problems.append(f"format: must be {CONTENT_FORMAT} (pull the file again with this version)")
    raw = data.get("items", [])
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        return [], problems + [f"items: must be a list of at most {MAX_ITEMS} tables"]
    items, seen = [], set()
    for n, entry in enumerate(raw):
        where = f"items[{n}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a table")
            continue
        unknown = sorted(set(entry) - {"kind", "id", "title", "summary", "url", "tags", "geozone"})
        if unknown:
            problems.append(f"{where}.{unknown[0]}: unknown key")
        texts = {k: entry.get(k, "") for k in ("kind", "id", "title", "summary", "url", "geozone")}
        bad = [k for k, v in texts.items() if not isinstance(v, str)]
        tags = entry.get("tags", [])
        if bad or not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            problems.append(f"{where}.{bad[0] if bad else 'tags'}: must be text")
            continue
        if texts["kind"] not in KINDS:
            problems.append(f"{where}.kind: must be one of {', '.join(KINDS)}")
        if not texts["id"] or not texts["title"].strip():
            problems.append(f"{where}: needs an id and a title")
        if (texts["kind"], texts["id"]) in seen:
            problems.append(f"{where}.id: {texts['kind']} {texts['id']} is listed twice")
        seen.add((texts["kind"], texts["id"]))
        url = urlsplit(texts["url"])
        if url.scheme != "https" and not (url.scheme == "http" and url.hostname in ("127.0.0.1", "localhost")):
            problems.append(f"{where}.url: must be an https URL (the link the receiver passes on)")
        if len(texts["summary"]) > MAX_SUMMARY_CHARS:
            problems.append(f"{where}.summary: longer than {MAX_SUMMARY_CHARS} characters")
        items.append(PlatformItem(texts["kind"], texts["id"], texts["title"], texts["summary"], texts["url"],
                                  tuple(tags), texts["geozone"]))
    return items, problems


_WORD = re.compile(r"[^\W\d_]{4,}")
"""A word of a topic's title that a tag may name (letters only, four or more: not "und", "&")."""


def topic_keys(topic: Any) -> frozenset[str]:
    """What a platform tag may say to name ``topic`` (a :class:`kiosk.core.config.Topic`), case-folded:
    its id, a title in any language, or a word of four letters or more of a title ("Mobilität" names
    "Stadtentwicklung, Umwelt & Mobilität")."""
    keys = {topic.id.casefold()}
    for title in dict(topic.title).values():
        keys.add(title.strip().casefold())
        keys.update(w.casefold() for w in _WORD.findall(title))
    return frozenset(keys)


def items_for_topic(items: Sequence[PlatformItem], topic: Any, topics: Iterable[Any]) -> list[PlatformItem]:
    """The items the field of action ``topic`` offers a visitor: those with a tag naming it
    (:func:`topic_keys`), then those whose tags name no configured topic at all. So a file whose
    tags say nothing of the kiosk's topics offers every item everywhere; one tagged with the
    topics offers each item under its own. File order is kept within both groups."""
    own = topic_keys(topic)
    every = [topic_keys(t) for t in topics]
    tagged, untagged = [], []
    for item in items:
        tags = {t.strip().casefold() for t in item.tags}
        if tags & own:
            tagged.append(item)
        elif not any(tags & keys for keys in every):
            untagged.append(item)
    return tagged + untagged


def content_path(config: Any) -> Path | None:
    """The content file ``[content] file`` names, relative to the config's folder; None for none."""
    if not config.content.file:
        return None
    path = Path(config.content.file).expanduser()
    if not path.is_absolute() and not config.source.startswith("<"):
        path = Path(config.source).parent / path
    return path


def load_items(config: Any) -> tuple[PlatformItem, ...]:
    """The items of the config's content file, or none when there is no file or it cannot be read
    (``check-config`` and the kiosk's start refuse a broken one; one removed since, or broken
    later, must not stop the ideas flow: it is logged and the flow goes on without)."""
    path = content_path(config)
    if path is None:
        return ()
    try:
        items, problems = parse_content(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("content file %s cannot be read (%s); no proposals are offered", path, type(exc).__name__)
        return ()
    if problems:
        log.warning("content file %s: %s; its items are offered as far as they are valid", path, problems[0])
    return tuple(item for item in items if platform_ref(item) is not None)


def platform_ref(item: PlatformItem) -> PlatformItemRef | None:
    """What an idea attached to ``item`` carries (the wire field ``platform_item``), or None for
    an item that cannot be one (a link that is not http(s), say). A title longer than the wire
    allows is shortened with "…" (the platform's own page has it whole)."""
    title = " ".join(item.title.split())
    if len(title) > PLATFORM_ITEM_MAX_TITLE:
        title = title[:PLATFORM_ITEM_MAX_TITLE - 1].rstrip() + "…"
    ref = PlatformItemRef(item.kind, item.id, item.url, title)
    try:
        validate_platform_item(ref)
    except SchemaError:
        return None
    return ref
