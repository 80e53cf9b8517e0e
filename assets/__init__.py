"""Bundled assets (fonts, images, stamp SVGs), read with importlib.resources."""

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent
