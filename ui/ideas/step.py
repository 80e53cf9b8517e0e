"""What every step of the ideas flow shares: config and language in, reset out.

A step is a plain QWidget, usable and testable on its own: construct it with
the config and a language, call :meth:`IdeaStep.set_language` to switch live,
:meth:`IdeaStep.reset` to forget the visitor. It announces
:attr:`IdeaStep.next_requested` when the visitor wants to go on; the flow
(:mod:`ui.ideas.flow`) decides where that leads.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.config import Config
from ui.common.i18n import tr
from ui.common.screen import label, set_prop


class IdeaStep(QWidget):
    """Base of the flow's steps.

    Signals:
        next_requested(): the visitor is done with this step.
    """

    next_requested = Signal()

    step_name = ""

    def __init__(self, config: Config, lang: str = "de", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.lang = lang
        self.setObjectName(f"ideas_step_{self.step_name}")

    def tr_(self, key: str, **fmt: object) -> str:
        return tr(key, self.lang, **fmt)

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        """Set every visible text and accessible name in :attr:`lang`."""

    def reset(self) -> None:
        """Forget everything the visitor entered or chose here."""

    def entered(self) -> None:
        """Called each time the step becomes the visible one."""

    def set_portrait(self, portrait: bool) -> None:
        """Re-arrange for a portrait screen. Base: nothing."""

    reach = False
    """Reachability mode (``ui.shell.reach``): the step has the lower part of a portrait screen."""

    def set_reach(self, on: bool) -> None:
        """Re-arrange for reachability mode. Base: remember it (steps read :attr:`reach`)."""
        self.reach = on


def button(name: str, role: str = "", *, checkable: bool = False) -> QPushButton:
    b = QPushButton()
    b.setObjectName(name)
    if role:
        b.setProperty("role", role)
    b.setCheckable(checkable)
    b.setAutoDefault(False)
    b.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a tap leaves no focus behind (the keyboard types on)
    return b




class Card(QPushButton):
    """A large tappable card: optional icon, a title and one or two lines of text.

    Its labels ignore the mouse, so the whole card is one button for touch and
    for screen readers (its accessibleName carries the title).
    """

    def __init__(self, name: str, parent: QWidget | None = None, *, horizontal: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setProperty("role", "card")
        self.setAutoDefault(False)
        # A card leads on: a button, not a check box; the visitor's last choice shows as "chosen".
        # It never takes focus from a tap, or the on-screen keyboard would type into nothing.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.icon_label = QLabel()
        self.icon_label.setObjectName(name + "_icon")
        self.icon_label.setFixedSize(72, 72)
        self.icon_label.hide()
        self.title_label = label(role="card_title", name=name + "_title")
        self.text_label = label(role="card_text", name=name + "_text")
        for lab in (self.icon_label, self.title_label, self.text_label):
            lab.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box = QVBoxLayout()
        box.setContentsMargins(28, 22, 28, 22)
        box.setSpacing(8)
        outer: QBoxLayout = QBoxLayout(QBoxLayout.Direction.LeftToRight if horizontal
                                       else QBoxLayout.Direction.TopToBottom, self)
        outer.setContentsMargins(0, 0, 0, 0)
        if horizontal:
            outer.addSpacing(24)
            outer.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
            box.setContentsMargins(16, 22, 28, 22)
        else:
            box.addWidget(self.icon_label)
        box.addWidget(self.title_label)
        box.addWidget(self.text_label)
        box.addStretch(1)
        outer.addLayout(box, 1)
        m = box.contentsMargins()
        self._box, self._margins = box, (m.left(), m.top(), m.right(), m.bottom())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_texts(self, title: str, text: str, accessible: str) -> None:
        self.title_label.setText(title)
        self.text_label.setText(text)
        self.text_label.setVisible(bool(text) and not self.compact)
        self.setAccessibleName(accessible)
        self.setAccessibleDescription(text)
        self.updateGeometry()

    compact = False
    """Title (and icon) only: the text stays the accessible description (reachability mode)."""

    def set_compact(self, on: bool, *, keep_text: bool = False) -> None:
        """Tighter (reachability mode); the text hidden too unless ``keep_text``."""
        self.compact = on and not keep_text
        self.text_label.setVisible(bool(self.text_label.text()) and not self.compact)
        self._box.setContentsMargins(*((28, 12, 28, 12) if on else self._margins))
        self.updateGeometry()

    def set_chosen(self, chosen: bool) -> None:
        set_prop(self, "chosen", chosen)

    def is_chosen(self) -> bool:
        return bool(self.property("chosen"))

    def set_icon(self, pixmap) -> None:  # noqa: ANN001 (QPixmap)
        self.icon_label.setPixmap(pixmap)
        self.icon_label.show()

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.layout().totalSizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.layout().totalMinimumSize()

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self.layout().totalHeightForWidth(width)


def big_card(name: str, max_height: int, on_click: Callable[[], object]) -> Card:
    """A :class:`Card` that grows with the screen up to ``max_height`` and calls ``on_click`` when tapped."""
    card = Card(name)
    card.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    card.setMaximumHeight(max_height)
    card.clicked.connect(lambda _=False: on_click())
    return card


def cards_layout(step: QWidget, heading: QLabel, sub: QLabel, grid: QGridLayout, stretch: int) -> QVBoxLayout:
    """The layout of a step of big cards (topics, goals): the heading, a line of text, the grid."""
    box = QVBoxLayout(step)
    box.setContentsMargins(48, 28, 48, 32)
    box.setSpacing(12)
    box.addWidget(heading)
    box.addWidget(sub)
    box.addSpacing(16)
    box.addLayout(grid, stretch)
    return box
