"""kiosk.toml: every kind of problem is reported with file, line, key and reason."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kiosk.core.config import (
    BUNDLED_CONFIG,
    DEFAULT_CONFIG,
    ConfigError,
    find_config,
    key_lines,
    load_config,
    load_config_with_warnings,
    parse_config,
)
from kiosk.core.pin import hash_pin


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list:
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value.problems


def only(probs: list, key: str):
    found = [p for p in probs if p.key == key]
    assert len(found) == 1, [str(p) for p in probs]
    return found[0]


def test_bundled_config_is_valid_real_content():
    cfg, warnings = load_config_with_warnings(BUNDLED_CONFIG)
    assert cfg.event.name["de"] == "Smart City-Fest Jena"
    assert len(cfg.topics) >= 6
    for topic in cfg.topics:
        assert 2 <= len(topic.goals) <= 4, topic.id
        for lang in cfg.kiosk.languages:
            assert topic.title[lang] and topic.description[lang]
            assert all(g.title[lang] and g.text[lang] for g in topic.goals)
    # The demo PIN is a warning, not an error: the kiosk starts, staff are nagged.
    assert [w.key for w in warnings] == ["staff.pin_hash"]


def test_drawing_consent_asks_a_parent_about_the_picture(tmp_path):
    bundled = load_config(BUNDLED_CONFIG).consent
    default = load_config(write(tmp_path, "")).consent
    for consent in (bundled, default):
        assert "Elternteil" in consent.drawing_short["de"] and "Bild" in consent.drawing_short["de"]
        assert "parent" in consent.drawing_short["en"] and "picture" in consent.drawing_short["en"]
        assert "Idee" not in consent.drawing_short["de"] and "idea" not in consent.drawing_short["en"]
    _, warnings = load_config_with_warnings(write(tmp_path, """\
        [consent]
        drawing_short = { de = "Ein Elternteil ist einverstanden." }
        """))
    problem = only(warnings, "consent.drawing_short")  # English visitors see the German text: a warning
    assert problem.line == 2 and "en" in problem.message


def test_top_level_and_bundled_config_are_the_same_file():
    top = Path(__file__).resolve().parents[2] / "kiosk.toml"
    assert top.read_bytes() == BUNDLED_CONFIG.read_bytes()


def test_empty_file_gives_embedded_defaults(tmp_path):
    cfg = load_config(write(tmp_path, ""))
    assert cfg.kiosk == DEFAULT_CONFIG.kiosk
    assert [t.id for t in cfg.topics] == ["general"]
    assert cfg.source == str(tmp_path / "kiosk.toml")


def test_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, """\
        [event]
        id = "ok"
        name = { de = "x", en = }
        """)
    (p,) = problems(path)
    assert p.file == str(path)
    assert p.line == 3
    assert "not valid TOML" in p.message


def test_unknown_key_suggests_the_right_one(tmp_path):
    path = write(tmp_path, """\
        [idle]
        timeout_s = 60
        countdwon_s = 10
        """)
    p = only(problems(path), "idle.countdwon_s")
    assert p.line == 3
    assert "did you mean 'countdown_s'" in p.message


def test_unknown_section_is_reported(tmp_path):
    p = only(problems(write(tmp_path, "[sinc]\nenabled = true\n")), "sinc")
    assert p.line == 1 and "did you mean 'sync'" in p.message


@pytest.mark.parametrize(("snippet", "key", "line", "words"), [
    ('[kiosk]\nhide_cursor = "yes"\n', "kiosk.hide_cursor", 2, "true or false"),
    ('[kiosk]\nid = "t"\nscreen_diagonal_inch = "21.5 inch"\n', "kiosk.screen_diagonal_inch", 3, "a number"),
    ("[flows]\ntext_limit = 12.5\n", "flows.text_limit", 2, "whole number"),
    ('[idle]\ntimeout_s = "long"\n', "idle.timeout_s", 2, "a number"),
    ('[kiosk]\nlanguages = "de"\n', "kiosk.languages", 2, "a list"),
    ("[event]\nname = 5\n", "event.name", 2, "table of texts"),
    ("event = 3\n", "event", 1, "table"),
])
def test_wrong_types(tmp_path, snippet, key, line, words):
    p = only(problems(write(tmp_path, snippet)), key)
    assert p.line == line
    assert words in p.message


def test_missing_translation_is_a_warning_that_names_the_nested_key(tmp_path):
    """The event's own texts in a language they lack fall back to the default language's: a city
    that adds a language (one catalogue file, one config line) can start before translating them."""
    path = write(tmp_path, """\
        [[topics]]
        id = "a"
        title = { de = "A", en = "A" }

          [[topics.goals]]
          id = "g1"
          title = { de = "Ziel", en = "Goal" }

          [[topics.goals]]
          id = "g2"
          title = { de = "Nur deutsch" }
        """)
    cfg, warnings = load_config_with_warnings(path)
    p = only(warnings, "topics[0].goals[1].title")
    assert p.line == 11 and p.warning
    assert "missing translation for 'en'" in p.message
    assert cfg.topics[0].goals[1].title.get_text("en") == "Nur deutsch"


def test_missing_required_key_in_topic(tmp_path):
    path = write(tmp_path, '[[topics]]\ntitle = { de = "A", en = "A" }\n')
    p = only(problems(path), "topics[0].id")
    assert p.line == 1 and "required" in p.message


def test_duplicate_ids(tmp_path):
    path = write(tmp_path, """\
        [[topics]]
        id = "mobil"
        title = { de = "A", en = "A" }

        [[topics]]
        id = "mobil"
        title = { de = "B", en = "B" }
        """)
    p = only(problems(path), "topics[1].id")
    assert p.line == 6 and "duplicate topic id 'mobil'" in p.message


def test_clear_text_pin_is_refused(tmp_path):
    p = only(problems(write(tmp_path, '[staff]\npin_hash = "4711"\n')), "staff.pin_hash")
    assert p.line == 2 and "clear text" in p.message and "kiosk hash-pin" in p.message


def test_a_real_pin_hash_gives_no_warning(tmp_path):
    cfg, warnings = load_config_with_warnings(write(tmp_path, f'[staff]\npin_hash = "{hash_pin("80715")}"\n'))
    assert warnings == []
    assert cfg.staff.pin_hash.startswith("$argon2id$")


@pytest.mark.parametrize(("endpoint", "allow", "ok"), [
    ("http://192.0.2.10/api/v1", False, False),
    ("http://receiver.example.org/api/v1", False, False),
    ("http://192.0.2.10/api/v1", True, True),
    ("http://127.0.0.1:8080/api/v1", False, True),
    ("http://localhost:8080/api/v1", False, True),
    ("http://[::1]:8080/api/v1", False, True),
    ("https://receiver.example.org/api/v1", False, True),
    ("ftp://receiver.example.org/", False, False),
])
def test_plain_http_only_to_loopback(tmp_path, endpoint, allow, ok):
    path = write(tmp_path, f'[sync]\nendpoint = "{endpoint}"\nallow_plain_http = {str(allow).lower()}\n')
    if ok:
        assert load_config(path).sync.endpoint == endpoint
    else:
        p = only(problems(path), "sync.endpoint")
        assert p.line == 2


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, """\
        [event]
        nmae = "typo"

        [kiosk]
        languages = ["de", "en", "fr"]
        orientation = "sideways"
        default_language = "it"

        [staff]
        pin_hash = "1234"
        """)
    keys = {p.key for p in problems(path)}
    assert {"event.nmae", "kiosk.languages", "kiosk.orientation", "kiosk.default_language",
            "staff.pin_hash"} <= keys


@pytest.mark.parametrize("key, value", [("orientation", "sideways"), ("display", "x12")])
def test_unknown_display_or_orientation_is_refused_with_file_and_line(tmp_path, key, value):
    path = write(tmp_path, f"""\
        [kiosk]
        languages = ["de"]
        {key} = "{value}"
        """)
    problem = only(problems(path), f"kiosk.{key}")
    assert problem.line == 3 and not problem.warning
    assert str(problem).startswith(f"{path}:3: error: kiosk.{key}: '{value}' is not one of ")


def test_message_format_is_file_line_key(tmp_path):
    path = write(tmp_path, "[flows]\ntext_limit = 0\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).splitlines()[0] == f"{path}:2: error: flows.text_limit: must be between 1 and 10000 characters"


def test_missing_and_unreadable_file(tmp_path):
    (p,) = problems(tmp_path / "nope.toml")
    assert "not found" in p.message
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'[event]\nid = "M\xfcnchen"\n')
    (p,) = problems(bad)
    assert "cannot be read" in p.message


def test_parse_config_is_pure():
    cfg, warnings = parse_config({"kiosk": {"id": "t-2", "languages": ["en"], "default_language": "en"}})
    assert cfg.kiosk.id == "t-2"
    assert warnings[0].key == "staff.pin_hash"


def test_key_lines_handles_arrays_of_tables_and_multiline_strings():
    text = textwrap.dedent('''\
        [consent]
        full = """
        id = "not a key"
        """
        version = "2"

        [[topics]]
        id = "a"
          [[topics.goals]]
          id = "g"
        [[topics]]
        id = "b"
        ''')
    lines = key_lines(text)
    assert lines[("consent", "version")] == 5
    assert ("consent", "id") not in lines
    assert lines[("topics", 0, "goals", 0, "id")] == 10
    assert lines[("topics", 1, "id")] == 12


def test_lookup_order(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    assert find_config(None, cwd=tmp_path) == BUNDLED_CONFIG
    local = write(tmp_path, "")
    assert find_config(None, cwd=tmp_path) == local
    monkeypatch.setenv("KIOSK_CONFIG", "/etc/env.toml")
    assert find_config(None, cwd=tmp_path) == Path("/etc/env.toml")
    assert find_config("/cli.toml", cwd=tmp_path) == Path("/cli.toml")


@pytest.mark.parametrize(("snippet", "key"), [
    ("[idle]\ntimeout_s = inf\n", "idle.timeout_s"),
    ("[idle]\ntimeout_s = nan\n", "idle.timeout_s"),
    ("[idle]\nthanks_timeout_s = 3000000\n", "idle.thanks_timeout_s"),
    ("[idle]\ndrawing_timeout_s = 0\n", "idle.drawing_timeout_s"),
    ("[staff]\ntap_window_s = -1\n", "staff.tap_window_s"),
    ("[kiosk]\nscreen_diagonal_inch = 2150\n", "kiosk.screen_diagonal_inch"),
    ("[kiosk]\nscreen_diagonal_inch = -21.5\n", "kiosk.screen_diagonal_inch"),
    ("[kiosk]\nscreen_diagonal_inch = nan\n", "kiosk.screen_diagonal_inch"),
    ("[sync]\nconnect_timeout_s = 0\n", "sync.connect_timeout_s"),
    ("[sync]\ninterval_s = inf\n", "sync.interval_s"),
    ('[flows]\ndrawing_topic = ""\n', "flows.drawing_topic"),
    ("[flows]\nideas = false\ndrawing = false\n", "flows"),
    ('[[topics]]\nid = ""\ntitle = { de = "A", en = "A" }\n', "topics[0].id"),
    ('[[topics]]\nid = "a"\ntitle = ""\n', "topics[0].title"),
    ('[[topics]]\nid = "a"\ntitle = "A"\n[[topics.goals]]\nid = "x y"\ntitle = "G"\n', "topics[0].goals[0].id"),
])
def test_values_that_would_break_the_kiosk_later_are_refused(tmp_path, snippet, key):
    """Each of these once passed the check and then froze, stranded or broke a screen."""
    problem = only(problems(write(tmp_path, snippet)), key)
    assert problem.line is not None and not problem.warning


@pytest.mark.parametrize(("text", "inches"), [("", 0.0), ("screen_diagonal_inch = 21.5", 21.5),
                                              ("screen_diagonal_inch = 55", 55.0)])
def test_the_screens_physical_size_is_optional(tmp_path, text, inches):
    """[kiosk] screen_diagonal_inch: the layout check measures targets in mm with it (issues 13, 17)."""
    assert load_config(write(tmp_path, f"[kiosk]\n{text}\n")).kiosk.screen_diagonal_inch == inches


def test_the_qr_link_needs_the_status_token(tmp_path):
    p = only(problems(write(tmp_path, '[event]\nidea_url_template = "https://example.org/"\n')),
             "event.idea_url_template")
    assert p.line == 2 and "{token}" in p.message
    _cfg, warnings = load_config_with_warnings(
        write(tmp_path, '[event]\nidea_url_template = "https://mitmachen.example.org/?ref={code}"\n'))
    assert [w.key for w in warnings if w.key == "event.idea_url_template"] == ["event.idea_url_template"]
    assert "receiver" in next(w.message for w in warnings if w.key == "event.idea_url_template")


def test_a_missing_content_file_is_an_error_naming_it(tmp_path):
    p = only(problems(write(tmp_path, '[content]\nfile = "content.toml"\n')), "content.file")
    assert "content.toml" in p.message
