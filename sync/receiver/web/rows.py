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

from kiosk.core.bidi import balance, has_controls
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
    return f'<bdi dir="auto">{_esc(balance(text) if has_controls(text) else text)}</bdi>'


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
    states = labels.states
    drawing_html = labels.drawing_html
    # Escaping works character by character: the label's fixed parts are escaped once.
    parts = labels.select_parts
    before, after = (_esc(parts[0]), _esc(parts[1])) if parts else ("", "")
    for (sub_id, kind, kiosk_id, _event, topic_id, state, created_at, _received, title, text, reference_code,
         _author) in rows:
        rid = _esc(sub_id)
        code = _esc(reference_code or sub_id[:8])
        label = before + code + after if parts else _esc(labels.select_label(reference_code or sub_id[:8]))
        deleted = state == "deleted"
        topic = titles.get(topic_id)
        if topic is None:
            topic = titles[topic_id] = _esc(topic_title(topic_id))
        terminal = terminals.get(kiosk_id)
        if terminal is None:
            terminal = terminals[kiosk_id] = _esc(kiosk_id)
        img = ""
        if kind == "drawing" and not deleted:
            img = (f'<img src="/staff/items/{rid}/drawing.png" alt="{drawing_html} '
                   f'{_esc(reference_code or "")}" class="thumb" loading="lazy" width="64" height="48">')
        title_html = f'<strong class="title">{_visitor(title)}</strong>' if title else ""
        if text:
            excerpt = f'<span class="excerpt">{_visitor(text)}</span>'
        elif kind == "drawing":
            excerpt = f'<span class="excerpt">{drawing_html}</span>'
        else:
            excerpt = ""
        state_e = _esc(state)
        out.append(
            f'    <tr class="state-{state_e}">\n'
            f'      <td><input type="checkbox" name="pick-{rid}" value="{rid}" class="pick" '
            f'aria-label="{label}" {"disabled" if deleted else ""}></td>\n'
            f'      <td class="nowrap">{_esc(when(created_at))}</td>\n'
            f'      <td class="what">\n'
            f'        <a href="/staff/items/{rid}" class="open">\n'
            f'{img}        <span class="code">{code}</span></a>\n'
            f'{title_html}{excerpt}      </td>\n'
            f'      <td>{topic}</td>\n'
            f'      <td>{terminal}</td>\n'
            f'      <td><span class="badge {state_e}">{states.get(state) or state_e}</span></td>\n'
            f'    </tr>\n')
    return Markup("".join(out))
