"""Why an item failed to sync or is withheld, in the staff panel's language.

The store keeps reasons as they were recorded: short codes (``sample``,
``no consent``, the moderation codes of :data:`kiosk.core.moderation.WITHHOLD_REASONS`,
optionally followed by ``": "`` and the words staff typed), the sentence
:mod:`kiosk.core.drafts` writes for a recovered draft, and the sync client's
failure texts (``"413: blob is 9000000 bytes; the limit is 8388608"``,
``"422: text: contains control characters"``, ``"receipt does not match: …"``,
see :mod:`sync.client` and :func:`sync.protocol.error_reason`).
:func:`kiosk.core.overview.plain_reason` may already have turned a failure into an
English sentence ("Too large for the receiver (…).").

:func:`reason_text` turns any of these into plain words in the panel's language (the
catalogue's ``reason.*`` texts). It only changes what is *shown*; nothing stored changes.
Text it does not know (the receiver's own words) is kept as it is, prefixed in the UI
language ("Empfänger meldet: …"), so nothing staff need is hidden. No widgets.
"""

from __future__ import annotations

import re

from ui.common.i18n import decimal, tr

Lang = str

WITHHELD_CODES = ("sample", "no consent", "recovered draft", "insulting", "personal_data", "off_topic", "spam",
                  "other")
"""What staff or the kiosk decided; each shown as ``reason.withheld.<code>`` (spaces as ``_``). The
last five are :data:`kiosk.core.moderation.WITHHOLD_REASONS`, the Moderate screen's list."""

RECOVERED_DRAFT_PREFIX = "recovered draft"
"""kiosk.core.drafts writes "recovered draft after a crash; keep or discard"."""

STATUS_CODES = ("401", "403", "409", "413", "422")
"""Why the receiver did not take it; each shown as ``reason.status.<code>``, any other as
``reason.status.other``."""

# kiosk.core.overview.plain_reason's English sentences, back to their status code
PLAIN_EN = {
    "The receiver did not accept this kiosk's token; ask IT for a new one": "401",
    "The receiver already has a different item with this id": "409",
    "Too large for the receiver": "413",
    "The receiver refused the content": "422",
}

# the sync client's own sentences (sync/client.py), by how they begin, and their catalogue key
CLIENT: tuple[tuple[str, str], ...] = (
    ("receipt does not match", "reason.client.receipt_does_not_match"),
    ("the receiver refused this kiosk's token", "reason.status.401"),
    ("the receiver did not answer in time", "reason.client.the_receiver_did_not_answer_in_time"),
    ("cannot reach the receiver", "reason.client.cannot_reach_the_receiver"),
    ("the receiver's TLS certificate", "reason.client.the_receiver_s_tls_certificate"),
    ("the receiver answered", "reason.client.the_receiver_answered"),
    ("the endpoint does not answer like a receiver", "reason.client.the_endpoint_does_not_answer_like_a_receiver"),
    ("the receiver speaks protocol", "reason.client.the_receiver_speaks_protocol"),
    ("sync cannot start", "reason.client.sync_cannot_start"),
    ("sync is switched off", "reason.client.sync_is_switched_off"),
    ("the sync worker is not running", "reason.client.the_sync_worker_is_not_running"),
    ("the sync pass failed", "reason.client.the_sync_pass_failed"),
)

WHAT = ("png", "strokes", "blob", "text", "submission")
"""What a size refers to; shown as ``reason.what.<what>``."""

_STATUS_RE = re.compile(r"^(\d{3})(?::\s*(.*))?$", re.S)
_PLAIN_RE = re.compile(r"^(?P<words>[^()]+?)(?: \((?P<detail>.*)\))?\.?$", re.S)
_SIZE_RES = (
    # the receiver: "blob is 9000000 bytes; the limit is 8388608" (field "blob" may stand before it)
    re.compile(r"^(?:(?P<field>\w+): )?(?P<what>\w+) is (?P<size>\d+) bytes; the limit is (?P<limit>\d+)$"),
    # the client's own check: "blob: the png is 9000000 bytes; the receiver accepts at most 8388608"
    re.compile(r"^(?:\w+: )?the (?P<what>\w+) is (?P<size>\d+) bytes; the receiver accepts at most (?P<limit>\d+)$"),
)


def size_text(n: int, lang: Lang) -> str:
    """``8388608`` -> "8,4 MB" (de) / "8.4 MB" (en): decimal units, the language's decimal point.
    Every size the staff panel shows is written by this."""
    for unit, step in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= step:
            return decimal(f"{n / step:.1f}", lang) + f" {unit}"
    return tr("size.bytes", lang, n=n)


def _too_big(detail: str, lang: Lang) -> str | None:
    for pattern in _SIZE_RES:
        m = pattern.match(detail.strip())
        if m:
            what = m["what"] if m["what"] in WHAT else "blob"
            return tr("reason.too_big", lang, what=tr(f"reason.what.{what}", lang),
                      size=size_text(int(m["size"]), lang), limit=size_text(int(m["limit"]), lang))
    return None


def _status_text(code: str, detail: str, lang: Lang) -> str:
    words = tr(f"reason.status.{code}", lang) if code in STATUS_CODES else tr("reason.status.other", lang, code=code)
    detail = detail.strip().rstrip(".")
    if code in ("401", "403") or not detail or detail == "receiver gave no reason":
        return words
    if code == "413":
        sized = _too_big(detail, lang)
        if sized:
            return f"{words}: {sized}"
    return tr("reason.detail", lang, words=words, text=detail)


def _withheld(reason: str, lang: Lang) -> str | None:
    if reason.startswith(RECOVERED_DRAFT_PREFIX):
        return tr("reason.withheld.recovered_draft", lang)
    code, sep, typed = reason.partition(":")
    code = code.strip()
    if code not in WITHHELD_CODES:
        return None
    words = tr(f"reason.withheld.{code.replace(' ', '_')}", lang)
    typed = typed.strip()
    return f"{words}: {typed}" if sep and typed else words


def _client_detail(reason: str, start: str) -> str:
    """The technical part of one of the sync client's sentences: a status code, the text
    after "start:", or the last bracket ("cannot reach the receiver (connection refused)")."""
    m = re.match(r"the receiver answered (\d{3})", reason)
    if m:
        return m[1]
    rest = reason[len(start):]
    if rest.startswith(":"):
        return rest[1:].strip()
    m = re.search(r"\(([^()]*)\)\s*$", reason)
    return m[1].strip() if m and start not in ("the receiver refused this kiosk's token",) else ""


def _failure(reason: str, lang: Lang) -> str | None:
    m = _STATUS_RE.match(reason)
    if m:
        return _status_text(m[1], m[2] or "", lang)
    m = _PLAIN_RE.match(reason)
    if m and m["words"] in PLAIN_EN:
        return _status_text(PLAIN_EN[m["words"]], m["detail"] or "", lang)
    lowered = reason.lower()
    for start, key in CLIENT:
        if lowered.startswith(start.lower()):
            shown = tr(key, lang)
            detail = _client_detail(reason, start)
            return f"{shown} ({detail})" if detail else shown  # the kiosk's own technical detail
    return None


SYNC_STATES = ("pending", "sent", "failed", "withheld")
FLAGS = ("sample", "unfinished")


def flag_text(flag: str, lang: Lang) -> str:
    """A list item's mark ("sample", "unfinished") in ``lang``."""
    return tr(f"flag.{flag}", lang) if flag in FLAGS else flag


def status_text(status: str, lang: Lang) -> str:
    """A sync state ("pending", "withheld", …) as one word in ``lang``; unknown ones as they are."""
    return tr(f"state.{status}", lang) if status in SYNC_STATES else status


def reason_text(reason: str | None, lang: Lang, *, withheld: bool = False) -> str:
    """``reason`` as staff read it in ``lang`` ("de" or "en").

    Known codes and sentences are translated; the receiver's own words are kept,
    prefixed ("Empfänger meldet: …"). With ``withheld=True`` unknown text is a
    reason staff wrote themselves and is shown as it is.
    """
    text = " ".join((reason or "").split())
    if not text or text in ("-", "No reason was recorded.", "No reason was recorded"):
        return tr("reason.none", lang)
    for attempt in ((_withheld, _failure) if withheld else (_failure, _withheld)):
        shown = attempt(text, lang)
        if shown is not None:
            return shown
    return text if withheld else tr("reason.says", lang, text=text)


def state_detail(state: str, message: str, lang: Lang) -> str:
    """The ``{msg}`` of a state line. The auth line already says in plain words that the token
    is wrong; the client's English sentence would only repeat it, so just its HTTP status."""
    if not message:
        return "401" if state == "auth" else "?"
    if state == "auth":
        code = re.search(r"\b(40[13])\b", message)
        if code:
            return code[1]
    return reason_text(message, lang)
