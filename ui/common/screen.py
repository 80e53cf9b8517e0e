"""What every screen is: a QWidget with a name, an idle timeout, reset and retranslate.

Adding a screen: one module in its product's folder under ``ui/`` with a :class:`Screen`
subclass whose constructor takes a :class:`ScreenContext`, and one line in
``kiosk.app.SCREENS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from ui.common.i18n import Language


@dataclass(frozen=True)
class ScreenContext:
    """What screens are built from; passed into constructors, never a global.

    Attributes:
        config: the kiosk's Config.
        language: the live language switch.
        staff_status: returns a fresh snapshot for the staff screen
            (the staff panel).
        store: the GUI thread's store (``add``, ``get``, ``can_accept()``, ...); in the app a
            ``kiosk.app.StoreSlot`` that opens it on first use.
        open_store: opens another connection to the same store; for worker
            threads (an SQLite connection belongs to the thread that made it).
        data_dir: the kiosk's data dir (drawing drafts live there).
    """

    config: Any
    language: Language
    staff_status: Callable[[], Any] | None = None
    store: Any = None
    open_store: Callable[[], Any] | None = None
    data_dir: Path | None = None


def clear_inputs(root: QWidget) -> int:
    """Empty every text input under ``root``, undo history included, and forget that it had the
    focus (a page remembers its last focused field: the next visitor would find it, and the
    on-screen keyboard, open). Returns how many.

    ``QLineEdit.clear()`` is itself an undoable edit: Ctrl+Z would bring the
    previous visitor's text back. ``setText("")`` resets the line edit's
    history; a text document's stacks are dropped explicitly.
    """
    # Imported here, not with the module: each of these classes brings its Qt enums
    # to life on import, and nothing needs them before the attract screen has painted.
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit  # noqa: PLC0415

    n = 0
    for w in root.findChildren(QLineEdit):
        w.setText(""); w.clearFocus(); n += 1
    for w in root.findChildren(QTextEdit) + root.findChildren(QPlainTextEdit):
        w.clear(); w.document().clearUndoRedoStacks(); w.clearFocus(); n += 1
    for w in root.findChildren(QAbstractSpinBox):
        if hasattr(w, "setValue") and hasattr(w, "minimum"):
            w.setValue(w.minimum()); n += 1
    for w in root.findChildren(QComboBox):
        w.setCurrentIndex(0 if w.count() else -1); n += 1
    return n


def forget_focus(root: QWidget) -> None:
    """Forget which widget under ``root`` had the focus last, on every page.

    A widget remembers its last focused child even while hidden: Qt gives it the focus
    back when the page is shown again, and moves the focus along the tab chain (to a
    card, a button) when a focused field is hidden. The next visitor must find none.
    """
    for widget in (root, *root.findChildren(QWidget)):
        remembered = widget.focusWidget()
        if remembered is not None and remembered is not root.window():
            remembered.clearFocus()


def set_prop(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property (a state the theme styles: ``chosen``, ``current``, ``full``) and re-polish
    so the stylesheet follows."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class Screen(QWidget):
    """Base of every screen in the stack.

    Signals:
        finished(): the visitor is done here (or pressed back); the app
            returns to the attract screen.
        painted_once(): the first paint (emitted by the home screen only,
            which marks the end of cold start).
        contributed(str): a visitor's contribution (this submission id) was
            durably stored; the app wakes the sync worker.
        idle_timeout_changed(): :meth:`idle_timeout` now answers differently
            (a screen with sub-pages moved on); the window re-reads it.
    """

    finished = Signal()
    painted_once = Signal()
    idle_timeout_changed = Signal()
    contributed = Signal(str)

    name: ClassVar[str] = ""
    idle_kind: ClassVar[str | None] = "default"
    """Which idle timeout applies: "default", "drawing", or None (never times out)."""

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.config = ctx.config
        self.language = ctx.language
        self.setObjectName(self.name)

    def idle_timeout(self) -> float | None:
        idle = self.config.idle
        return {"default": idle.timeout_s, "drawing": idle.drawing_timeout_s, None: None}[self.idle_kind]

    def reset(self) -> None:
        """Forget everything a visitor entered. Subclasses extend, calling super()."""
        clear_inputs(self)
        forget_focus(self)

    def retranslate(self) -> None:
        """Set every visible text and accessible name in ``self.language.code``."""

    def entered(self) -> None:
        """Called each time the screen becomes the current one."""

    def shutdown(self) -> None:
        """The window closes for good: stop threads, flush what must not be lost."""

    def set_portrait(self, portrait: bool) -> None:
        """Switch layout between landscape and portrait. Base: a QSS property only."""
        if self.property("portrait") != portrait:
            self.setProperty("portrait", portrait)
            if self.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):  # else the first show polishes
                self.style().unpolish(self)
                self.style().polish(self)

    def set_reach(self, on: bool) -> None:
        """Reachability mode (``ui.shell.reach``): the window shows this screen in the lower part
        of a portrait screen, and every control must be there. Base: a QSS property; screens whose
        portrait layout puts controls at the top rearrange in :meth:`apply_reach`."""
        if self.property("reach") != on:
            self.setProperty("reach", on)
            self.apply_reach(on)
            if self.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
                self.style().unpolish(self)
                self.style().polish(self)

    def apply_reach(self, on: bool) -> None:
        """Rearrange for reachability mode. Base: nothing."""

    def tr_(self, key: str, **fmt: object) -> str:
        return self.language.tr(key, **fmt)


def label(text: str = "", *, name: str = "", role: str | None = None, wrap: bool = True) -> QLabel:
    """A QLabel with objectName and QSS role (see ui/common/theme.py), word-wrapped by default.

    Always plain text: what a visitor typed is shown as typed, never read as markup."""
    lab = QLabel(text)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        lab.setObjectName(name)
    if role:
        lab.setProperty("role", role)
    lab.setWordWrap(wrap)
    return lab
