"""Content from the participation platform: current proposals and debates, kept offline.

``kiosk content pull`` (``sync.content_pull``) writes them into a content file (TOML) that
``kiosk.toml`` names in ``[content] file``; ``kiosk check-config`` validates it with
:func:`parse_content`. Each item is shown on the terminal with its title and summary, no
network needed. Pure: no I/O here but reading the text given.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from urllib.parse import urlsplit

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
