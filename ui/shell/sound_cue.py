"""A soft chime when "Still there?" appears (``[idle] sound``), for visitors who look away.

Played by a small player program (PipeWire's pw-play, PulseAudio's paplay or ALSA's aplay,
whichever is installed, or ``[idle] sound_player``), started detached: the GUI never waits
for the sound, and a terminal without a speaker or a player just stays quiet (logged once).
"""

from __future__ import annotations

import logging
import shlex
import shutil

from PySide6.QtCore import QProcess

from assets import ASSETS_DIR

log = logging.getLogger("kiosk.ui")

CUE = ASSETS_DIR / "sounds" / "idle-cue.wav"
PLAYERS = ("pw-play", "paplay", "aplay -q")


def player_command(configured: str = "") -> list[str] | None:
    """The command that plays a sound file (the file goes last), or None when none is installed."""
    for candidate in ((configured,) if configured else PLAYERS):
        argv = shlex.split(candidate)
        if argv and shutil.which(argv[0]):
            return argv
    return None


class SoundCue:
    """Plays :data:`CUE` with :func:`player_command` when :meth:`play` is called."""

    def __init__(self, configured_player: str = "") -> None:
        self._configured = configured_player
        self._warned = False

    def play(self) -> bool:
        argv = player_command(self._configured)
        if argv is None:
            if not self._warned:
                self._warned = True
                log.warning("no sound player found (%s): the idle chime stays silent",
                            self._configured or ", ".join(PLAYERS))
            return False
        started, _pid = QProcess.startDetached(argv[0], [*argv[1:], str(CUE)])
        if not started and not self._warned:
            self._warned = True
            log.warning("the idle chime could not be played with %s", argv[0])
        return bool(started)
