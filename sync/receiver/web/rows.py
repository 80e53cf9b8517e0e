"""The browse table's rows, built in Python as one escaped string (the template puts it in place).

Fifty rows through Jinja2 cost about 1.5 ms a page (a generator step, an attribute lookup, a
filter call and an escape per value), five times the query that reads them; here a row is one
f-string of escaped values and labels looked up once per page, the same HTML byte for byte
(tests/sync/receiver/test_web_rows.py renders both and compares them). Every value from the
database is escaped (markupsafe's escape, as the template's autoescape); visitors' words go
in ``<bdi dir="auto">`` after :func:`kiosk.core.bidi.balance`, as the template filter does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from markupsafe import Markup, escape

from kiosk.core.bidi import balance
from sync.receiver.moderation import STATES
from sync.receiver.web.queries import Row
from sync.receiver.web.text import WebText

try:  # markupsafe's escape without its Markup wrapping (a third of its cost); the same text
    from markupsafe._speedups import _escape_inner as _esc
except ImportError:  # pragma: no cover - markupsafe without its C speedups
    def _esc(s: str) -> str:
        return str(escape(s))


def _visitor(text: str) -> str:
    """As pages.visitor (the template filter), for a non-empty text."""
    return f'<bdi dir="auto">{_esc(balance(text))}</bdi>'


class RowLabels:
    """What every row of one language repeats: looked up in the catalogue once, escaped once."""

    def __init__(self, text: WebText, lang: str) -> None:
        self.drawing = text.t(lang, "kind.drawing")
        self.drawing_html = _esc(self.drawing)
        self.select_one = text.catalogues.text("browse.select_one", lang)
        before, brace, after = self.select_one.partition("{code}")
        # "{code} auswählen": the code between two fixed parts (else str.format, as Catalogues.format)
        self.select_parts = (before, after) if brace and "{" not in before + after and "}" not in before + after \
            else None
        self.states = {s: _esc(text.t(lang, f"state.{s}")) for s in STATES}

    def select_label(self, code: str) -> str:
        if self.select_parts is not None:
            return self.select_parts[0] + code + self.select_parts[1]
        try:
            return self.select_one.format(code=code)
        except (KeyError, IndexError, ValueError):
            return self.select_one


def rows_html(rows: Iterable[Row], labels: RowLabels, when: Callable[[str], str],
              topic_title: Callable[[str], str]) -> Markup:
    """The ``<tr>`` of each row, as browse.html showed them."""
    out = []
    titles: dict[str, str] = {}
    terminals: dict[str, str] = {}
    for r in rows:
        rid = _esc(r.id)
        code = r.reference_code or r.id[:8]
        state = r.state
        deleted = state == "deleted"
        topic = titles.get(r.topic_id)
        if topic is None:
            topic = titles[r.topic_id] = _esc(topic_title(r.topic_id))
        terminal = terminals.get(r.kiosk_id)
        if terminal is None:
            terminal = terminals[r.kiosk_id] = _esc(r.kiosk_id)
        img = ""
        if r.kind == "drawing" and not deleted:
            img = (f'<img src="/staff/items/{rid}/drawing.png" alt="{labels.drawing_html} '
                   f'{_esc(r.reference_code or "")}" class="thumb" loading="lazy" width="64" height="48">')
        title = f'<strong class="title">{_visitor(r.title)}</strong>' if r.title else ""
        if r.text:
            excerpt = f'<span class="excerpt">{_visitor(r.text)}</span>'
        elif r.kind == "drawing":
            excerpt = f'<span class="excerpt">{labels.drawing_html}</span>'
        else:
            excerpt = ""
        state_e = _esc(state)
        out.append(
            f'    <tr class="state-{state_e}">\n'
            f'      <td><input type="checkbox" name="pick-{rid}" value="{rid}" class="pick" '
            f'aria-label="{_esc(labels.select_label(code))}" {"disabled" if deleted else ""}></td>\n'
            f'      <td class="nowrap">{_esc(when(r.created_at))}</td>\n'
            f'      <td class="what">\n'
            f'        <a href="/staff/items/{rid}" class="open">\n'
            f'{img}        <span class="code">{_esc(code)}</span></a>\n'
            f'{title}{excerpt}      </td>\n'
            f'      <td>{topic}</td>\n'
            f'      <td>{terminal}</td>\n'
            f'      <td><span class="badge {state_e}">{labels.states.get(state) or state_e}</span></td>\n'
            f'    </tr>\n')
    return Markup("".join(out))
