"""UI strings from the message catalogues, and the live :class:`Language` switch.

Every visitor- and staff-facing string comes from ``assets/locale/<lang>.po`` through
:func:`tr` (see :mod:`kiosk.core.catalogue`); config content comes translated already
(``Localized.get_text(lang)``). Every screen re-translates itself in ``retranslate()``
when :attr:`Language.changed` fires, accessible names too.

The catalogues are the process's: the composition root installs the config's
(:func:`install`, its ``locale_dir`` searched first) when it builds the window; until
then the bundled ones answer.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Signal

from kiosk.core.catalogue import Catalogues

_catalogues = Catalogues()


def install(catalogues: Catalogues) -> None:
    """Use ``catalogues`` from now on (the composition root, from the config)."""
    global _catalogues  # noqa: PLW0603 - one set of catalogues per process, like its fonts
    _catalogues = catalogues


def tr(key: str, lang: str, **fmt: object) -> str:
    """The string ``key`` in ``lang``, formatted with ``fmt`` (see :meth:`Catalogues.format`)."""
    return _catalogues.format(key, lang, **fmt)


def language_name(lang: str) -> str:
    """``lang`` named in itself ("Deutsch", "English"), so a visitor finds their own."""
    return _catalogues.name(lang)


def language_short(lang: str) -> str:
    """``lang`` on a small button: "DE", "EN", "Leicht" (Leichte Sprache)."""
    return _catalogues.short_name(lang)


def decimal(text: str, lang: str) -> str:
    """A number written with Python's "." as ``lang`` writes it ("8.4" -> "8,4" in German)."""
    return text.replace(".", tr("number.decimal_point", lang))


def format_dates(iso_dates: tuple[str, ...], lang: str) -> str:
    """ISO dates as a reader expects them: ``3. Juli 2022`` / ``3 July 2022``."""
    out = []
    for iso in iso_dates:
        try:
            d = date.fromisoformat(iso)
        except ValueError:
            out.append(iso)
            continue
        out.append(tr("date.long", lang, day=d.day, month=tr(f"date.month.{d.month}", lang), year=d.year))
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
        return tr(key, self._code, **fmt)

    def text(self, localized) -> str:  # noqa: ANN001 - kiosk.core.config.Localized
        return localized.get_text(self._code) if localized else ""
