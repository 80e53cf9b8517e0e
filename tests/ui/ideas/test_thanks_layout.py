"""The ideas thank-you screen is one composed picture either way round.

Portrait used to leave the text at the top left and the QR card at the very
bottom with a band of empty screen between them; now it is one centred column
(heading, text, code, QR card, "done"), balanced vertically. Landscape keeps
the text beside the QR card.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from kiosk.core.config import BUNDLED_CONFIG, load_config
from ui.ideas.flow import IdeaFlow
from kiosk.core.storage import Store

URL = "https://mitmachen.jena.de/idee/AC3H7K"


@pytest.fixture
def flow(qtbot, tmp_path):
    store = Store.open_in(tmp_path)
    f = IdeaFlow(load_config(BUNDLED_CONFIG), store, "de")
    qtbot.add_widget(f)
    yield f
    store.close()


def show_thanks(qtbot, flow: IdeaFlow, size: tuple[int, int]):  # noqa: ANN201
    flow.resize(*size)
    flow.show()
    qtbot.wait_exposed(flow)
    flow.thanks.show_receipt("AC3H7K", URL)
    flow.stack.setCurrentWidget(flow.thanks)
    qtbot.wait(20)
    return flow.thanks


def box(w: QWidget, root: QWidget) -> QRect:
    return QRect(w.mapTo(root, QPoint(0, 0)), w.size())


def test_portrait_is_one_centred_balanced_column(qtbot, flow, decode_qr) -> None:
    page = show_thanks(qtbot, flow, (1080, 1920))
    parts = [page.heading, page.body, page.code_caption, page.code_label, page._qr_panel, page.done_button]
    rects = [box(w, page) for w in parts]
    centre = page.width() / 2
    for w, r in zip(parts, rects):
        assert w.isVisible(), w.objectName()
        assert abs(r.center().x() - centre) <= 2, w.objectName()           # one centred column
        assert r.left() >= 0 and r.right() < page.width(), w.objectName()
    assert page.heading.alignment() & page.heading.alignment().AlignHCenter
    tops = [r.top() for r in rects]
    assert tops == sorted(tops)                                             # heading … QR card … done
    for upper, lower in zip(rects, rects[1:]):
        assert 0 <= lower.top() - upper.bottom() <= 80                      # no empty band anywhere
    above, below = rects[0].top(), page.height() - rects[-1].bottom()
    assert abs(above - below) <= 0.05 * page.height()                      # vertically balanced
    assert decode_qr(page.qr) == [URL]


def test_landscape_keeps_the_qr_card_beside_the_text(qtbot, flow, decode_qr) -> None:
    page = show_thanks(qtbot, flow, (1080, 1920))
    flow.resize(1920, 1080)
    qtbot.wait(20)
    text, card, done = box(page.heading, page), box(page._qr_panel, page), box(page.done_button, page)
    assert card.left() > text.right() and card.left() > done.right()      # side by side
    assert card.top() < done.bottom() and card.bottom() > text.top()       # at the same height
    assert card.right() < page.width() and card.bottom() < page.height()
    assert decode_qr(page.qr) == [URL]
