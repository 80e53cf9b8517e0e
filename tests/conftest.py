"""Shared fixtures. Qt runs offscreen: no display is needed, the QApplication is real."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
