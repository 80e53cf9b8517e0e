"""The platform item a visitor attached their idea to, as the connectors pass it on.

The kiosk sends it in the optional wire field ``platform_item``:
``{"kind": "proposal"|"debate", "id": "...", "url": "https://...", "title": "..."}`` (the
proposal or debate pulled with ``kiosk content pull``), and the receiver stores the submission
as it arrived. The connectors read it from there, and must not trust it blindly: a stored
value of any other shape (an older or newer kiosk, a hand-made bundle) is ignored, the idea is
published without it, and nothing of the value is logged. Pure: no I/O.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import urlsplit

KINDS = ("proposal", "debate")
KEYS = ("kind", "id", "url", "title")
MAX_ID, MAX_TITLE, MAX_URL = 100, 200, 2000


def _clean_text(value: Any, limit: int) -> bool:
    return (isinstance(value, str) and bool(value.strip()) and len(value) <= limit
            and not any(unicodedata.category(c) in ("Cc", "Cs") for c in value))


def platform_item(data: dict[str, Any]) -> dict[str, str] | None:
    """The stored submission's ``platform_item`` when it has the agreed shape, else None."""
    value = data.get("platform_item") if isinstance(data, dict) else None
    if not isinstance(value, dict) or set(value) != set(KEYS):
        return None
    if value["kind"] not in KINDS or not _clean_text(value["id"], MAX_ID) or not _clean_text(value["title"], MAX_TITLE):
        return None
    url = value["url"]
    if not _clean_text(url, MAX_URL) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname:
        return None
    return {k: value[k] for k in KEYS}


REFERENCE_WORD = {"de": "Bezug", "en": "Reference"}


def reference_line(data: dict[str, Any]) -> str:
    """``Bezug: <title> <url>`` (``Reference: ...`` for an idea written in English), or "" when
    the idea is attached to nothing (or to something malformed)."""
    item = platform_item(data)
    if item is None:
        return ""
    language = str(data.get("locale") or "de").split("-")[0]
    return f"{REFERENCE_WORD.get(language, REFERENCE_WORD['de'])}: {item['title'].strip()} {item['url']}"
