"""UI strings in German and English, and the live :class:`Language` switch.

The table is a plain dict keyed by string id; config content comes translated
already (``Localized.get_text(lang)``). Every screen re-translates itself in
``retranslate()`` when :attr:`Language.changed` fires, accessible names too.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Signal

STRINGS: dict[str, dict[str, str]] = {
    # attract
    "attract.prompt": {"de": "Machen Sie mit", "en": "Join in"},
    "attract.ideas.sub": {"de": "Ihr Vorschlag für die digitale Stadt",
                          "en": "Your idea for the digital city"},
    "attract.drawing.sub": {"de": "Für Kinder und alle, die gern malen",
                            "en": "Kids and grown-ups welcome"},
    "attract.lang.de.a11y": {"de": "Sprache: Deutsch", "en": "Switch language to German"},
    "attract.lang.en.a11y": {"de": "Sprache auf Englisch umstellen", "en": "Language: English"},
    "attract.lang.group": {"de": "Sprache wählen", "en": "Choose language"},
    "common.back_to_start": {"de": "Zurück zum Start", "en": "Back to start"},
    # unavailable
    "unavailable.title": {"de": "Gerade können wir hier keine neuen Beiträge annehmen",
                          "en": "This terminal can't take new contributions right now"},
    "unavailable.body": {
        "de": "Bitte wenden Sie sich an das Team am Stand – dort nehmen wir Ihre Idee gern persönlich auf. "
              "Danke für Ihr Verständnis!",
        "en": "Please ask the staff at the stand – they will gladly take your idea in person. "
              "Thank you for your understanding!"},
    # idle
    "idle.title": {"de": "Bist du noch da?", "en": "Still there?"},
    "idle.body": {"de": "Sonst beginnen wir gleich von vorn, und alles Eingegebene wird gelöscht.",
                  "en": "Otherwise we will start over shortly, and everything entered will be cleared."},
    "idle.continue": {"de": "Ja, weiter", "en": "Yes, continue"},
    "idle.seconds": {"de": "Sekunden", "en": "seconds"},
    "idle.countdown.a11y": {"de": "Noch {n} Sekunden", "en": "{n} seconds left"},
    # pin pad
    "pin.title": {"de": "Zugang für das Team", "en": "Staff access"},
    "pin.hint": {"de": "Bitte PIN eingeben", "en": "Please enter the PIN"},
    "pin.checking": {"de": "Wird geprüft …", "en": "Checking …"},
    "pin.wrong": {"de": "Falsche PIN. Bitte noch einmal.", "en": "Wrong PIN. Please try again."},
    "pin.locked": {"de": "Falsche PIN. Nächster Versuch in {s} s", "en": "Wrong PIN. Next try in {s} s"},
    "pin.ok": {"de": "OK", "en": "OK"},
    "pin.ok.a11y": {"de": "PIN bestätigen", "en": "Confirm PIN"},
    "pin.delete.a11y": {"de": "Letzte Ziffer löschen", "en": "Delete last digit"},
    "pin.cancel": {"de": "Abbrechen", "en": "Cancel"},
    "pin.digit.a11y": {"de": "Ziffer {d}", "en": "Digit {d}"},
    "pin.dots.a11y": {"de": "{n} Ziffern eingegeben", "en": "{n} digits entered"},
    # staff
    "staff.title": {"de": "Personalbereich", "en": "Staff panel"},
    "staff.kiosk": {"de": "Terminal", "en": "Terminal"},
    "staff.config": {"de": "Konfiguration", "en": "Configuration"},
    "staff.data_dir": {"de": "Datenordner", "en": "Data folder"},
    "staff.counts": {"de": "Beiträge", "en": "Contributions"},
    "staff.notices": {"de": "Hinweise", "en": "Notices"},
    "staff.no_notices": {"de": "Keine Hinweise – alles in Ordnung.", "en": "No notices – all is well."},
    "staff.refusing": {"de": "Speicherreserve erreicht: Neue Beiträge werden abgelehnt.",
                       "en": "Disk reserve reached: new contributions are refused."},
    "staff.no_counts": {"de": "Noch keine Beiträge.", "en": "No contributions yet."},
    "staff.exit": {"de": "Kiosk beenden", "en": "Exit kiosk"},
    "staff.back": {"de": "Zurück", "en": "Back"},
    "staff.exit.a11y": {"de": "Kiosk-Anwendung beenden", "en": "Quit the kiosk application"},
    "staff.back.a11y": {"de": "Zurück zum Startbildschirm", "en": "Back to the start screen"},
}

LANGUAGE_NAMES = {"de": "Deutsch", "en": "English"}
"""Each language named in itself, so a visitor finds their own."""

_MONTHS = {
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def translate(key: str, lang: str, **fmt: object) -> str:
    """The string ``key`` in ``lang`` (German when missing), formatted with ``fmt``."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["de"]
    return text.format(**fmt) if fmt else text


def format_dates(iso_dates: tuple[str, ...], lang: str) -> str:
    """ISO dates as a reader expects them: ``3. Juli 2022`` / ``3 July 2022``."""
    out = []
    for iso in iso_dates:
        try:
            d = date.fromisoformat(iso)
        except ValueError:
            out.append(iso)
            continue
        month = _MONTHS.get(lang, _MONTHS["en"])[d.month - 1]
        out.append(f"{d.day}. {month} {d.year}" if lang == "de" else f"{d.day} {month} {d.year}")
    return " – ".join(out) if len(out) == 2 else ", ".join(out)


class Language(QObject):
    """The visitor's current language.

    Signals:
        changed(str): the language code after a real change.
    """

    changed = Signal(str)

    def __init__(self, languages: tuple[str, ...], default: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.languages = tuple(languages)
        self.default = default
        self._code = default

    @property
    def code(self) -> str:
        return self._code

    def set(self, code: str) -> None:
        if code not in self.languages:
            raise ValueError(f"language {code!r} is not configured ({', '.join(self.languages)})")
        if code != self._code:
            self._code = code
            self.changed.emit(code)

    def reset(self) -> None:
        self.set(self.default)

    def tr(self, key: str, **fmt: object) -> str:
        return translate(key, self._code, **fmt)

    def text(self, localized) -> str:  # noqa: ANN001 - kiosk.core.config.Localized
        return localized.get_text(self._code) if localized else ""
