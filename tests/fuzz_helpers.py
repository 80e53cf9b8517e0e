"""Settings shared by the fuzz tests (issue #14): a fixed, repeatable number of examples in CI,
more and new ones with ``KIOSK_FUZZ_EXAMPLES=N`` (e.g. 5000 for a long run before a release)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXTRA = os.environ.get("KIOSK_FUZZ_EXAMPLES")


def fuzz_settings(default: int) -> settings:
    """``default`` examples, the same ones every run; or ``KIOSK_FUZZ_EXAMPLES`` fresh ones."""
    return settings(max_examples=int(EXTRA) if EXTRA else default, derandomize=not EXTRA, deadline=None,
                    database=None, suppress_health_check=list(HealthCheck))


def json_values(max_leaves: int = 8) -> st.SearchStrategy:
    """Any JSON value, of every type a parser gives: what an attacker may put where an object goes."""
    scalars = (st.none() | st.booleans() | st.integers(min_value=-(10 ** 30), max_value=10 ** 30)
               | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30))
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=max_leaves)


ODD_TEXT = st.sampled_from(["", " ", "\x00", "\ud800", "=HYPERLINK(\"x\")", "../../etc/passwd", "/etc/x",
                            "ä" * 300, "😀" * 50, "\r\n", "x" * 20_000, "https://[::1/x", "1" * 5000])
"""Strings that broke something somewhere once."""
