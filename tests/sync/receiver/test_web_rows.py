"""The browse table's rows built in Python are the HTML the Jinja2 loop made, byte for byte,
escaped as autoescape escapes: for ideas, drawings, tombstones, right-to-left words and markup."""

from __future__ import annotations

import functools
import uuid

import pytest
from jinja2 import Environment, select_autoescape

from sync.receiver.moderation import STATES
from sync.receiver.web.pages import visitor
from sync.receiver.web.queries import Row
from sync.receiver.web.rows import RowLabels, rows_html
from sync.receiver.web.text import LANGS, WebText

# The loop as browse.html had it before the rows were built in Python.
JINJA_ROWS = """\
    {% for r in rows %}
    <tr class="state-{{ r.state }}">
      <td><input type="checkbox" name="pick-{{ r.id }}" value="{{ r.id }}" class="pick" aria-label="{{ t('browse.select_one', code=r.reference_code or r.id[:8]) }}" {% if r.state == "deleted" %}disabled{% endif %}></td>
      <td class="nowrap">{{ when(r.created_at) }}</td>
      <td class="what">
        <a href="/staff/items/{{ r.id }}" class="open">
        {% if r.kind == "drawing" and r.state != "deleted" %}<img src="/staff/items/{{ r.id }}/drawing.png" alt="{{ t('kind.drawing') }} {{ r.reference_code or '' }}" class="thumb" loading="lazy" width="64" height="48">{% endif %}
        <span class="code">{{ r.reference_code or r.id[:8] }}</span></a>
        {% if r.title %}<strong class="title">{{ r.title|visitor }}</strong>{% endif %}
        {% if r.text %}<span class="excerpt">{{ r.text|visitor }}</span>{% elif r.kind == "drawing" %}<span class="excerpt">{{ t("kind.drawing") }}</span>{% endif %}
      </td>
      <td>{{ topic_title(r.topic_id) }}</td>
      <td>{{ r.kiosk_id }}</td>
      <td><span class="badge {{ r.state }}">{{ t("state." + r.state) }}</span></td>
    </tr>
    {% endfor %}
"""


def sample_rows() -> list[Row]:
    rows = []
    texts = [("Mehr Bänke", "Am Markt & im Park"), (None, "שלום \u202eabc and a bench"), ("\u2067RTL", None),
             ('<script>alert("x")</script>', "it's <b>bold</b>"), (None, None), ("", "")]
    for i in range(36):
        kind = ("idea", "drawing")[i % 2]
        title, text = texts[i % len(texts)]
        rows.append(Row(id=str(uuid.UUID(int=i * 7919 + 1, version=4)), kind=kind, kiosk_id=f"markt-{i % 3}",
                        event_id="fest", topic_id=("mobility", "a&b", "drawing")[i % 3], state=STATES[i % len(STATES)],
                        created_at=f"2024-0{1 + i % 9}-0{1 + i % 8}T{i % 24:02d}:0{i % 10}:00.000Z",
                        received_at="2024-07-01T00:00:00Z", title=title, text=text,
                        reference_code=(None, "AB12CD", 'Q"<&>')[i % 3], author_name=None))
    return rows


@pytest.mark.parametrize("lang", LANGS)
def test_rows_built_in_python_are_the_templates_rows(lang):
    text = WebText("Europe/Berlin")
    env = Environment(autoescape=select_autoescape(default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    env.filters["visitor"] = visitor
    topic_title = {"mobility": "Mobilität <&> Verkehr", "a&b": "A & B", "drawing": "Zeichnung"}.get
    when = functools.partial(text.when, lang)
    rows = sample_rows()
    expected = env.from_string(JINJA_ROWS).render(rows=rows, t=functools.partial(text.t, lang), when=when,
                                                  topic_title=topic_title)
    got = rows_html(rows, RowLabels(text, lang), when, topic_title)
    assert str(got) == expected
    assert "<script>" not in got and "&lt;script&gt;" in got
    assert rows_html([], RowLabels(text, lang), when, topic_title) == ""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("template", ["_decide.html", "_filters.html", "login.html", "problem.html"])
def test_texts_written_into_the_templates_are_what_the_calls_gave(lang, template):
    """Each language's templates have their plain texts written in before they are compiled
    (pages.LangLoader); the page is the one the calls made."""
    from types import SimpleNamespace

    from sync.receiver.web.pages import make_env
    from sync.receiver.web.queries import Choices, Filters

    text = WebText("Europe/Berlin")
    web = SimpleNamespace(text=text)
    ctx = dict(lang=lang, other_lang="en", here="/staff/login?next=/staff/items", t=text.of(lang), account=None,
               session=None, csrf="", path="/staff/login", zone="Europe/Berlin", num=str, message="Falsch & <b>",
               back="/staff/items", login_csrf="tok", next="/staff/items", name="ben", action="/staff/items",
               f=Filters(q='a "b" <c>', kind="idea"), topic_title=str,
               choices=Choices(events=("fest",), terminals=("markt-1", "a&b"), topics=("mobility",)),
               decide_form=lambda: "", filters_form=lambda action: "")
    plain = make_env(None, lang).get_template(template).render(**ctx)
    filled_env = make_env(web, lang)
    filled = filled_env.get_template(template).render(**ctx)
    assert filled == plain
    source = filled_env.loader.get_source(filled_env, template)[0]
    assert source.count("{{ t(") < make_env(None, lang).loader.get_source(filled_env, template)[0].count("{{ t(")
