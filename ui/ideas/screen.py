"""The ideas flow as a screen of the shell (name ``ideas``).

:class:`ui.ideas.flow.IdeaFlow` stands on its own; this wrapper plugs it
into the window's stack: the shell's :class:`~ui.common.i18n.Language` drives the
flow's language and the visitor's DE/EN taps inside the flow drive the shell's,
``finished`` returns to the attract screen, and the idle reset empties it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from ui.common.screen import Screen, ScreenContext
from ui.ideas.flow import IdeaFlow


class IdeasScreen(Screen):
    """Signals: those of :class:`Screen`; ``finished`` when the flow is done or left."""

    name = "ideas"

    def __init__(self, ctx: ScreenContext) -> None:
        super().__init__(ctx)
        self.flow = IdeaFlow(ctx.config, ctx.store, ctx.language.code, parent=self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.flow)
        self.flow.finished.connect(self.finished)
        self.flow.submitted.connect(self.contributed)
        self.flow.language_changed.connect(self.language.set)

    def retranslate(self) -> None:
        if self.flow.lang != self.language.code:
            self.flow.set_language(self.language.code)

    def entered(self) -> None:
        self.flow.start()

    def reset(self) -> None:
        self.flow.reset()
        super().reset()  # and every text field's undo history with it

    def set_portrait(self, portrait: bool) -> None:
        super().set_portrait(portrait)
        self.flow.set_portrait(portrait)

    def apply_reach(self, on: bool) -> None:
        self.flow.set_reach(on)
