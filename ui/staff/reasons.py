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

:func:`reason_text` turns any of these into plain German or English. It only
changes what is *shown*; nothing stored changes. Text it does not know (the
receiver's own words) is kept as it is, prefixed in the UI language
("Empfänger meldet: …"), so nothing staff need is hidden. Pure: no Qt, no I/O.
"""

from __future__ import annotations

import re

Lang = str

# -- what staff or the kiosk decided (withheld) ---------------------------------------------

WITHHELD: dict[str, tuple[str, str]] = {
    "sample": ("Beispieldaten, werden nie übertragen", "Sample data, never synced"),
    "no consent": ("Ohne Einverständnis der Eltern, bleibt am Stand",
                   "No parent's consent, stays at the stand"),
    "recovered draft": ("Unfertiges Bild nach einem Absturz: behalten oder verwerfen (Moderieren)",
                        "Unfinished drawing recovered after a crash: keep or discard (Moderate)"),
    # kiosk.core.moderation.WITHHOLD_REASONS (the same words as the Moderate screen's list)
    "insulting": ("Beleidigend", "Insulting"),
    "personal_data": ("Persönliche Daten", "Personal data"),
    "off_topic": ("Nicht zum Thema", "Off topic"),
    "spam": ("Spam / Test", "Spam / test"),
    "other": ("Anderer Grund", "Other reason"),
}

RECOVERED_DRAFT_PREFIX = "recovered draft"
"""kiosk.core.drafts writes "recovered draft after a crash; keep or discard"."""

# -- why the receiver did not take it (failed) ----------------------------------------------

STATUS: dict[str, tuple[str, str]] = {
    "401": ("Der Empfänger nimmt das Token dieses Kiosks nicht an; bitte ein neues Token anfordern",
            "The receiver did not accept this kiosk's token; ask IT for a new one"),
    "403": ("Der Empfänger nimmt das Token dieses Kiosks nicht an; bitte ein neues Token anfordern",
            "The receiver did not accept this kiosk's token; ask IT for a new one"),
    "409": ("Der Empfänger hat schon einen anderen Beitrag mit dieser Kennung",
            "The receiver already has a different item with this id"),
    "413": ("Zu groß für den Empfänger", "Too large for the receiver"),
    "422": ("Inhalt vom Empfänger abgelehnt", "The receiver refused the content"),
}
OTHER_STATUS = ("Der Empfänger antwortet mit Fehler {code}", "The receiver answered with error {code}")

# kiosk.core.overview.plain_reason's English sentences, back to their status code
PLAIN_EN = {
    "The receiver did not accept this kiosk's token; ask IT for a new one": "401",
    "The receiver already has a different item with this id": "409",
    "Too large for the receiver": "413",
    "The receiver refused the content": "422",
}

# the sync client's own sentences (sync/client.py), by how they begin
CLIENT: tuple[tuple[str, tuple[str, str]], ...] = (
    ("receipt does not match", ("Die Quittung des Empfängers passt nicht zum Beitrag",
                                "The receiver's receipt does not match the item")),
    ("the receiver refused this kiosk's token", STATUS["401"]),
    ("the receiver did not answer in time", ("Der Empfänger hat nicht rechtzeitig geantwortet",
                                             "The receiver did not answer in time")),
    ("cannot reach the receiver", ("Der Empfänger ist nicht erreichbar", "The receiver cannot be reached")),
    ("the receiver's TLS certificate", ("Das TLS-Zertifikat des Empfängers ist nicht gültig",
                                        "The receiver's TLS certificate could not be verified")),
    ("the receiver answered", ("Unerwartete Antwort des Empfängers; bitte die Sync-Adresse prüfen",
                               "Unexpected answer from the receiver; check the sync endpoint")),
    ("the endpoint does not answer like a receiver", ("Unter der Sync-Adresse antwortet kein Empfänger",
                                                      "The sync endpoint does not answer like a receiver")),
    ("the receiver speaks protocol", ("Empfänger und Kiosk sprechen verschiedene Protokollversionen",
                                      "The receiver and this kiosk speak different protocol versions")),
    ("sync cannot start", ("Die Synchronisation kann nicht starten", "Sync cannot start")),
    ("sync is switched off", ("Die Synchronisation ist in kiosk.toml ausgeschaltet",
                              "Sync is switched off in kiosk.toml")),
    ("the sync worker is not running", ("Die Synchronisation läuft nicht; bitte das Protokoll ansehen",
                                        "Sync is not running; see the log")),
    ("the sync pass failed", ("Der Sync-Durchgang ist abgebrochen; bitte das Protokoll ansehen",
                              "The sync pass failed; see the log")),
)

SAYS = ("Empfänger meldet: {text}", "Receiver says: {text}")
DETAIL = ("{words} – Empfänger meldet: {text}", "{words} – receiver says: {text}")
NO_REASON = ("Kein Grund vermerkt", "No reason was recorded")
TOO_BIG = ("{what} ist {size}, erlaubt sind {limit}", "{what} is {size}, the limit is {limit}")
WHAT = {"png": ("Bild", "Picture"), "strokes": ("Strichdaten", "Stroke data"), "blob": ("Datei", "File"),
        "text": ("Text", "Text"), "submission": ("Beitrag", "Item")}

_STATUS_RE = re.compile(r"^(\d{3})(?::\s*(.*))?$", re.S)
_PLAIN_RE = re.compile(r"^(?P<words>[^()]+?)(?: \((?P<detail>.*)\))?\.?$", re.S)
_SIZE_RES = (
    # the receiver: "blob is 9000000 bytes; the limit is 8388608" (field "blob" may stand before it)
    re.compile(r"^(?:(?P<field>\w+): )?(?P<what>\w+) is (?P<size>\d+) bytes; the limit is (?P<limit>\d+)$"),
    # the client's own check: "blob: the png is 9000000 bytes; the receiver accepts at most 8388608"
    re.compile(r"^(?:\w+: )?the (?P<what>\w+) is (?P<size>\d+) bytes; the receiver accepts at most (?P<limit>\d+)$"),
)


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[1] if lang == "en" else pair[0]


def size_text(n: int, lang: Lang) -> str:
    """``8388608`` -> "8,4 MB" (de) / "8.4 MB" (en): decimal units, a comma in German.
    Every size the staff panel shows is written by this."""
    for unit, step in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= step:
            text = f"{n / step:.1f} {unit}"
            return text.replace(".", ",") if lang != "en" else text
    return f"{n} B" if lang == "en" else f"{n} Byte"


def _too_big(detail: str, lang: Lang) -> str | None:
    for pattern in _SIZE_RES:
        m = pattern.match(detail.strip())
        if m:
            what = WHAT.get(m["what"], WHAT["blob"])
            return _pick(TOO_BIG, lang).format(what=_pick(what, lang), size=size_text(int(m["size"]), lang),
                                               limit=size_text(int(m["limit"]), lang))
    return None


def _status_text(code: str, detail: str, lang: Lang) -> str:
    words = _pick(STATUS[code], lang) if code in STATUS else _pick(OTHER_STATUS, lang).format(code=code)
    detail = detail.strip().rstrip(".")
    if code in ("401", "403") or not detail or detail == "receiver gave no reason":
        return words
    if code == "413":
        sized = _too_big(detail, lang)
        if sized:
            return f"{words}: {sized}"
    return _pick(DETAIL, lang).format(words=words, text=detail)


def _withheld(reason: str, lang: Lang) -> str | None:
    if reason.startswith(RECOVERED_DRAFT_PREFIX):
        return _pick(WITHHELD["recovered draft"], lang)
    code, sep, typed = reason.partition(":")
    words = WITHHELD.get(code.strip())
    if words is None:
        return None
    typed = typed.strip()
    return f"{_pick(words, lang)}: {typed}" if sep and typed else _pick(words, lang)


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
    for start, words in CLIENT:
        if lowered.startswith(start.lower()):
            shown = _pick(words, lang)
            detail = _client_detail(reason, start)
            return f"{shown} ({detail})" if detail else shown  # the kiosk's own technical detail
    return None


STATUS_WORDS: dict[str, tuple[str, str]] = {
    "pending": ("wartend", "pending"), "sent": ("gesendet", "sent"), "failed": ("fehlgeschlagen", "failed"),
    "withheld": ("zurückgehalten", "withheld"),
}


FLAG_WORDS: dict[str, tuple[str, str]] = {
    "sample": ("Beispiel", "sample"), "unfinished": ("unfertig", "unfinished"),
}


def flag_text(flag: str, lang: Lang) -> str:
    """A list item's mark ("sample", "unfinished") in ``lang``."""
    words = FLAG_WORDS.get(flag)
    return _pick(words, lang) if words else flag


def status_text(status: str, lang: Lang) -> str:
    """A sync state ("pending", "withheld", …) as one word in ``lang``; unknown ones as they are."""
    words = STATUS_WORDS.get(status)
    return _pick(words, lang) if words else status


def reason_text(reason: str | None, lang: Lang, *, withheld: bool = False) -> str:
    """``reason`` as staff read it in ``lang`` ("de" or "en").

    Known codes and sentences are translated; the receiver's own words are kept,
    prefixed ("Empfänger meldet: …"). With ``withheld=True`` unknown text is a
    reason staff wrote themselves and is shown as it is.
    """
    text = " ".join((reason or "").split())
    if not text or text in ("-", "No reason was recorded.", "No reason was recorded"):
        return _pick(NO_REASON, lang)
    for attempt in ((_withheld, _failure) if withheld else (_failure, _withheld)):
        shown = attempt(text, lang)
        if shown is not None:
            return shown
    return text if withheld else _pick(SAYS, lang).format(text=text)


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
