"""Reachability mode: every control of the visitor flows in the lower part of a portrait screen.

On a tall portrait terminal the upper controls are out of reach for a child or a person in a
wheelchair: controls within reach of both sit about 800 to 1,100 mm above the floor (EN 301 549
clause 8.3 on the reach of stationary terminals; DIN 18040-1 puts controls at 850 mm), roughly
the lower half of a 43-55" portrait screen mounted with its lower edge at 600-700 mm. A toggle on the attract screen ("Bedienung unten") turns the
mode on for the visitor (the next visitor starts without it). The window then shows the visitor's
screen in the lower part of its height (:func:`reach_height`), laid out as on any portrait screen of that
width, and above it :class:`ReachPanel`: the event's name and a line saying that everything to
tap is below, with nothing to tap itself. A landscape screen keeps its layout (its controls
already sit within the lower two thirds), and so do the staff screens.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.common.i18n import Language
from ui.common.screen import label

def reach_height(width: int, height: int) -> int:
    """How much of a portrait window, from the bottom, holds the controls in reach mode: a square
    as wide as the window (56 % of a 9:16 screen, 62 % of a 10:16 one), or all of a shorter one."""
    return min(height, width)


class ReachPanel(QWidget):
    """The upper part of the window in reach mode: what the visitor is at, nothing to tap."""

    def __init__(self, config, language: Language) -> None:  # noqa: ANN001 - Config
        super().__init__()
        self.setObjectName("reach_panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.config, self.language = config, language
        self.organizer = label(name="reach_organizer", wrap=False)
        self.title = label(name="reach_title")
        self.hint = label(name="reach_hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        box = QVBoxLayout(self)
        box.setContentsMargins(96, 88, 96, 40)
        box.setSpacing(20)
        box.addWidget(self.organizer)
        box.addWidget(self.title)
        box.addStretch(1)
        box.addWidget(self.hint)
        for lab in (self.organizer, self.title, self.hint):
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.retranslate()

    def retranslate(self) -> None:
        event = self.config.event
        self.organizer.setText(self.language.text(event.organizer).upper())
        self.title.setText(self.language.text(event.name))
        self.hint.setText("↓  " + self.language.tr("reach.hint") + "  ↓")
        self.hint.setAccessibleName(self.language.tr("reach.hint"))

    def labels(self) -> tuple[QLabel, ...]:
        return self.organizer, self.title, self.hint
