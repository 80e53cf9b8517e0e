"""Strings in both languages and the Language switch."""

from __future__ import annotations

import pytest

from ui.common.i18n import STRINGS, Language, format_dates, translate


def test_every_string_has_german_and_english() -> None:
    for key, entry in STRINGS.items():
        assert entry.get("de") and entry.get("en"), key


def test_placeholders_match_between_languages() -> None:
    import string

    for key, entry in STRINGS.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in entry.values()]
        assert all(f == fields[0] for f in fields), key


def test_changed_only_on_real_change(qtbot) -> None:
    lang = Language(("de", "en"), "de")
    with qtbot.assertNotEmitted(lang.changed):
        lang.set("de")
    with qtbot.waitSignal(lang.changed) as blocker:
        lang.set("en")
    assert blocker.args == ["en"]
    assert lang.tr("idle.title") == "Still there?"
    with qtbot.waitSignal(lang.changed):
        lang.reset()
    assert lang.code == "de"


def test_unconfigured_language_is_refused() -> None:
    with pytest.raises(ValueError):
        Language(("de",), "de").set("en")


def test_translate_formats() -> None:
    assert translate("pin.locked", "en", s=8) == "Wrong PIN. Next try in 8 s"


@pytest.mark.parametrize("dates, lang, out", [
    (("2022-07-03",), "de", "3. Juli 2022"),
    (("2022-07-03",), "en", "3 July 2022"),
    (("2022-07-02", "2022-07-03"), "de", "2. Juli 2022 – 3. Juli 2022"),
    (("someday",), "en", "someday"),
    ((), "de", ""),
])
def test_format_dates(dates, lang, out) -> None:
    assert format_dates(dates, lang) == out
