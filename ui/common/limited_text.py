"""Text fields for visitor input: cleaned, limited, never silently cut.

Every way text gets in (physical keys, the on-screen keyboard through
:meth:`insert_text`, paste, an input method) ends in
:func:`kiosk.core.text.clean_text`: control characters are dropped and what does
not fit the limit is cut, and then :attr:`text_cut` is emitted so the screen
can say so. Undo is off, so nothing of a previous visitor can be brought back
with Ctrl+Z; predictive text and auto-correction are switched off for input
methods; there is no context menu and no drag and drop.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from kiosk.core.text import clean_text

BACKSPACE = "⌫"
ENTER = "⏎"

INPUT_HINTS = (Qt.InputMethodHint.ImhNoPredictiveText | Qt.InputMethodHint.ImhSensitiveData
               | Qt.InputMethodHint.ImhNoAutoUppercase)
"""No suggestions, no auto-correction, nothing kept by an input method."""


def _is_typed_text(event: QKeyEvent) -> bool:
    text = event.text()
    mods = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
                                 | Qt.KeyboardModifier.GroupSwitchModifier)
    # AltGr arrives as Ctrl+Alt on some platforms: that still types (@, €, ...).
    altgr = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    return bool(text) and text.isprintable() and (mods == Qt.KeyboardModifier.NoModifier or mods == altgr)


def _own_key(field, event: QKeyEvent, *, on_enter: Callable[[], object]) -> bool:  # noqa: ANN001
    """The keys both fields handle themselves; True when ``event`` was one of them.

    Enter calls ``on_enter``; a paste and typed text go through ``field.insert_text`` (cleaned,
    within the limit); undo and redo are swallowed: neither field offers them.
    """
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        on_enter()
    elif event.matches(QKeySequence.StandardKey.Paste):
        field.insert_text(QGuiApplication.clipboard().text())
    elif event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        pass
    elif _is_typed_text(event):
        field.insert_text(event.text())
    else:
        return False
    return True


class LimitedTextEdit(QPlainTextEdit):
    """The multi-line idea field.

    Signals:
        text_cut(): text was cut to the limit (typed, pasted or keyed in).
    """

    text_cut = Signal()

    def __init__(self, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.setUndoRedoEnabled(False)
        self.setInputMethodHints(INPUT_HINTS)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAcceptDrops(False)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.document().contentsChanged.connect(self._enforce_limit)
        self._enforcing = False

    def value(self) -> str:
        """The text as stored: non-breaking spaces kept, paragraph breaks as ``\\n``."""
        return self.document().toRawText().replace("\u2029", "\n").replace("\u2028", "\n")

    def clear_all(self) -> None:
        """Empty the field; nothing can be undone or recovered afterwards."""
        self.setPlainText("")
        self.document().clearUndoRedoStacks()

    def room(self) -> int:
        selected = len(self.textCursor().selectedText())
        return max(0, self.limit - (len(self.value()) - selected))

    def insert_text(self, text: str) -> None:
        """Insert at the cursor (replacing a selection), cleaned and cut to the limit."""
        result = clean_text(text, self.room())
        if result.text:
            self.insertPlainText(result.text)
        elif self.textCursor().hasSelection() and text:
            self.textCursor().removeSelectedText()
        if result.cut:
            self.text_cut.emit()
        self.ensureCursorVisible()

    def press_key(self, key: str) -> None:
        """Apply one key of the on-screen keyboard: a character, ``⌫`` or ``⏎``."""
        if key == BACKSPACE:
            cursor = self.textCursor()
            if cursor.hasSelection():
                cursor.removeSelectedText()
            else:
                # PreviousCharacter moves over a whole grapheme cluster (an emoji
                # family, a letter with its accent); deletePreviousChar would
                # take a single code point and leave half an emoji behind.
                cursor.movePosition(QTextCursor.MoveOperation.PreviousCharacter,
                                    QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
            self.setTextCursor(cursor)
        elif key == ENTER:
            self.insert_text("\n")
        else:
            self.insert_text(key)

    # ------------------------------------------------------------ Qt overrides

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        # Enter: a real line break, never a U+2028 soft break from Shift+Enter
        if _own_key(self, event, on_enter=lambda: self.insert_text("\n")):
            event.accept()
        else:
            super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802
        return source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802
        self.insert_text(source.text())

    def _enforce_limit(self) -> None:
        # Safety net for paths that bypass insert_text (input methods).
        if self._enforcing:
            return
        value = self.value()
        if len(value) <= self.limit and clean_text(value, self.limit).text == value:
            return
        self._enforcing = True
        try:
            result = clean_text(value, self.limit)
            self.setPlainText(result.text)
            self.moveCursor(QTextCursor.MoveOperation.End)
        finally:
            self._enforcing = False
        if result.cut:
            self.text_cut.emit()


class LimitedLineEdit(QLineEdit):
    """A one-line field (title, name): newlines and tabs become spaces.

    Signals:
        text_cut(): text was cut to the limit.
        enter_pressed(): Return on a physical key or ``⏎`` on the on-screen one.
    """

    text_cut = Signal()
    enter_pressed = Signal()

    def __init__(self, limit: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self.setInputMethodHints(INPUT_HINTS)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAcceptDrops(False)
        self.setDragEnabled(False)
        self.textChanged.connect(self._enforce_limit)
        self._enforcing = False

    def value(self) -> str:
        return self.text()

    def clear_all(self) -> None:
        """Empty the field; setText (unlike clear) also drops the undo history."""
        self.setText("")

    def room(self) -> int:
        return max(0, self.limit - (len(self.text()) - len(self.selectedText())))

    def insert_text(self, text: str) -> None:
        result = clean_text(text, self.room(), single_line=True)
        if result.text or self.hasSelectedText():
            self.insert(result.text)
        if result.cut:
            self.text_cut.emit()

    def press_key(self, key: str) -> None:
        if key == BACKSPACE:
            self.backspace()
        elif key == ENTER:
            self.enter_pressed.emit()
        else:
            self.insert_text(key)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if _own_key(self, event, on_enter=self.enter_pressed.emit):
            event.accept()
        else:
            super().keyPressEvent(event)

    def _enforce_limit(self, value: str) -> None:
        if self._enforcing:
            return
        result = clean_text(value, self.limit, single_line=True)
        if result.text == value:
            return
        self._enforcing = True
        try:
            self.setText(result.text)
        finally:
            self._enforcing = False
        if result.cut:
            self.text_cut.emit()
