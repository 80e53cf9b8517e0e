"""An in-app on-screen keyboard: German QWERTZ, shift, caps lock, symbols (or, for a child, the alphabet).

The keyboard never takes focus: every key has ``Qt.NoFocus``, so the text field
the visitor is writing in keeps its cursor and selection. It only announces
what was pressed (:attr:`KeyboardWidget.key_pressed`); the screen that owns
the text field decides what that means.

The layout is a pure table (:data:`LAYERS`): rows of ``(key, width)`` where the
width is in key units and every row adds up to :data:`ROW_UNITS`.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from ui.common.i18n import tr

SHIFT = "⇧"
CAPS = "⇪"
BACKSPACE = "⌫"
ENTER = "⏎"
SPACE = "␣"
TO_SYMBOLS = "?123"
TO_LETTERS = "ABC"
CONTROL_KEYS = frozenset({SHIFT, CAPS, TO_SYMBOLS, TO_LETTERS})
"""Keys that change the keyboard's state and emit nothing."""

ROW_UNITS = 14
MIN_KEY_PX = 64

Row = tuple[tuple[str, float], ...]


def _row(*keys: str | tuple[str, float]) -> Row:
    return tuple(k if isinstance(k, tuple) else (k, 1.0) for k in keys)


LAYERS: dict[str, tuple[Row, ...]] = {
    "letters": (
        _row(*"qwertzuiopüß", (BACKSPACE, 2)),
        _row((CAPS, 1.5), *"asdfghjklöä", (ENTER, 1.5)),
        _row((SHIFT, 2), *"yxcvbnm", ",", ".", "-", (SHIFT, 2)),
        _row((TO_SYMBOLS, 3), (SPACE, 8), "!", "?", "@"),
    ),
    "symbols": (
        _row(*"1234567890€%", (BACKSPACE, 2)),
        _row(("@", 1.5), *"&()\"'-_/:;+", (ENTER, 1.5)),
        _row(("#", 2), *"§$*=<>~", "„", "“", "…", ("°", 2)),
        _row((TO_LETTERS, 3), (SPACE, 8), "!", "?", ","),
    ),
}

CHILD_KEY_PX = 86
"""How high the rows of :data:`CHILD_LAYERS` are: over 20 mm on a 21.5 inch 1080p screen (small
hands); ten keys to a row make them about as wide where the keyboard has 950 px or more."""

CHILD_LAYERS: dict[str, tuple[Row, ...]] = {
    "letters": (
        _row(*"abcdefghij"),
        _row(*"klmnopqrst"),
        _row(*"uvwxyzäöüß"),
        _row((SHIFT, 2), "-", (SPACE, 3), (BACKSPACE, 2), (ENTER, 2)),
    ),
}
"""A child's first name: the letters in the order of the alphabet, ten to a row, so each key is
large enough for a child's finger (:data:`CHILD_KEY_PX`); no symbols."""

KEY_NAMES = {
    "ä": "ae", "ö": "oe", "ü": "ue", "ß": "sz", ",": "comma", ".": "period", "-": "minus",
    "!": "exclam", "?": "question", "@": "at", "€": "euro", "%": "percent", "&": "ampersand",
    "(": "parenleft", ")": "parenright", '"': "quotedbl", "'": "apostrophe", "_": "underscore",
    "/": "slash", ":": "colon", ";": "semicolon", "+": "plus", "#": "numbersign", "§": "section",
    "$": "dollar", "*": "asterisk", "=": "equal", "<": "less", ">": "greater", "~": "tilde",
    "„": "quotelow", "“": "quotehigh", "…": "ellipsis", "°": "degree",
    SHIFT: "shift", CAPS: "capslock", BACKSPACE: "backspace", ENTER: "enter", SPACE: "space",
    TO_SYMBOLS: "symbols", TO_LETTERS: "letters",
}

SPECIAL = (SHIFT, CAPS, BACKSPACE, ENTER, SPACE, TO_SYMBOLS, TO_LETTERS)
"""Keys that do something rather than type a character; each is named by ``keyboard.<KEY_NAMES>``."""


def key_output(key: str, *, upper: bool) -> str:
    """What pressing ``key`` emits: a character, ``⌫``, ``⏎``, or "" for state keys.

    ``ß`` stays ``ß`` in upper case (no "SS" surprise for a visitor).
    """
    if key in CONTROL_KEYS:
        return ""
    if key == SPACE:
        return " "
    if key in (BACKSPACE, ENTER):
        return key
    if upper and key.isalpha() and key != "ß":
        return key.upper()
    return key


def key_label(key: str, *, upper: bool) -> str:
    """What a key shows: the character it types, or a symbol/word for the others."""
    if key == SPACE:
        return ""
    if key in CONTROL_KEYS or key in (BACKSPACE, ENTER):
        return key
    # A lone "&" on a QPushButton marks a mnemonic and would show nothing.
    return key_output(key, upper=upper).replace("&", "&&")


def object_name(layer: str, key: str) -> str:
    """A stable objectName: ``kb_q``, ``kb_ae``, ``kb_backspace``, ``kb_sym_euro``...

    Keys of the symbols layer carry ``sym_``, so a name is unique in the
    keyboard even for keys that both layers have (``kb_sym_backspace``). The
    second shift key of the letters layer is ``kb_shift_right``.
    """
    name = KEY_NAMES.get(key, key)
    return f"kb_{name}" if layer == "letters" else f"kb_sym_{name}"


class KeyButton(QPushButton):
    """One key. Never takes focus; its property ``role`` lets the QSS style it."""

    def __init__(self, layer: str, key: str, parent: QWidget | None = None, min_px: int = MIN_KEY_PX) -> None:
        super().__init__(parent)
        self.key = key
        self.layer = layer
        self.setObjectName(object_name(layer, key))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(min_px, min_px)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setProperty("role", "special" if key in SPECIAL else "char")
        if key == BACKSPACE:
            self.setAutoRepeat(True)
            self.setAutoRepeatDelay(450)
            self.setAutoRepeatInterval(70)
        if key in (SHIFT, CAPS):
            self.setCheckable(True)


class KeyboardWidget(QWidget):
    """The on-screen keyboard.

    Signals:
        key_pressed(str): a character to insert, ``"⌫"`` or ``"⏎"``.
    """

    key_pressed = Signal(str)

    def __init__(self, lang: str = "de", parent: QWidget | None = None, *,
                 layers: dict[str, tuple[Row, ...]] = LAYERS, min_key_px: int = MIN_KEY_PX) -> None:
        """``layers``: :data:`LAYERS` (a visitor's text), or :data:`CHILD_LAYERS` (a child's first name,
        made :meth:`height_for_keys` (:data:`CHILD_KEY_PX`) high)."""
        super().__init__(parent)
        self._units = sum(w for _, w in layers["letters"][0])
        self._rows = len(layers["letters"])
        self._min_key = min_key_px
        self.setObjectName("keyboard")
        self.setProperty("role", "keyboard")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._shift = False
        self._caps = False
        self._lang = lang
        self.buttons: dict[str, list[KeyButton]] = {}
        self._stack = QStackedWidget(self)
        self._stack.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._pages: dict[str, QWidget] = {}
        for layer, rows in layers.items():
            page = QWidget()
            grid = QVBoxLayout(page)
            grid.setContentsMargins(0, 0, 0, 0)
            grid.setSpacing(8)
            used: set[str] = set()
            for row in rows:
                line = QHBoxLayout()
                line.setSpacing(8)
                for key, width in row:
                    button = KeyButton(layer, key, page, min_key_px)
                    if button.objectName() in used:
                        button.setObjectName(button.objectName() + "_right")
                    used.add(button.objectName())
                    button.setText(key_label(key, upper=False))
                    button.clicked.connect(lambda _=False, b=button: self._on_key(b))
                    line.addWidget(button, int(width * 10))
                    self.buttons.setdefault(layer, []).append(button)
                grid.addLayout(line)
            self._pages[layer] = page
            self._stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 12)
        outer.addWidget(self._stack)
        self._refresh()
        self.set_language(lang)

    # ------------------------------------------------------------ state

    @property
    def layer(self) -> str:
        return "letters" if self._stack.currentWidget() is self._pages["letters"] else "symbols"

    @property
    def shift(self) -> bool:
        return self._shift

    @property
    def caps(self) -> bool:
        return self._caps

    def reset(self) -> None:
        """Back to lower-case letters: no shift, no caps lock."""
        self._shift = False
        self._caps = False
        self._stack.setCurrentWidget(self._pages["letters"])
        self._refresh()

    def set_language(self, lang: str) -> None:
        self._lang = lang
        self.setAccessibleName(tr("keyboard.name", lang))
        for buttons in self.buttons.values():
            for b in buttons:
                if b.key in SPECIAL:
                    b.setAccessibleName(tr(f"keyboard.{KEY_NAMES[b.key]}", lang))
                    if b.key == SPACE:
                        b.setText(tr("keyboard.space", lang))
                else:
                    b.setAccessibleName(tr("keyboard.key", lang, char=key_output(b.key, upper=self._upper())))

    def sizeHint(self) -> QSize:  # noqa: N802
        key = max(96, self._min_key)
        return QSize(int(self._units * (key + 14)), self._rows * key + (self._rows - 1) * 8 + 24)

    def height_for_keys(self, key_px: int) -> int:
        """The height that makes every row ``key_px`` high."""
        return self._rows * key_px + (self._rows - 1) * 8 + 24

    def button(self, key: str, layer: str | None = None) -> KeyButton:
        """The button for ``key`` (``"a"``, ``"€"``, ``"⌫"``) in ``layer`` (default: where it is)."""
        for name in ([layer] if layer else ["letters", "symbols"]):
            for b in self.buttons.get(name, []):
                if b.key == key:
                    return b
        raise KeyError(key)

    def _upper(self) -> bool:
        return self._shift != self._caps

    def _on_key(self, button: KeyButton) -> None:
        key = button.key
        if key == SHIFT:
            self._shift = not self._shift
        elif key == CAPS:
            self._caps = not self._caps
            self._shift = False
        elif key == TO_SYMBOLS:
            self._stack.setCurrentWidget(self._pages["symbols"])
        elif key == TO_LETTERS:
            self._stack.setCurrentWidget(self._pages["letters"])
        else:
            text = key_output(key, upper=self._upper())
            if self._shift and key not in (BACKSPACE,):
                self._shift = False  # one-shot
            self.key_pressed.emit(text)
            if not self._shift:
                self._refresh_if_needed()
            return
        self._refresh()

    def _refresh_if_needed(self) -> None:
        shift_buttons = [b for b in self.buttons["letters"] if b.key == SHIFT]
        if any(b.isChecked() != self._shift for b in shift_buttons):
            self._refresh()

    def _refresh(self) -> None:
        upper = self._upper()
        for b in self.buttons["letters"]:
            if b.key == SHIFT:
                b.setChecked(self._shift)
            elif b.key == CAPS:
                b.setChecked(self._caps)
            else:
                label = key_label(b.key, upper=upper)
                if b.text() != label:
                    b.setText(label)
        self.set_language(self._lang)
