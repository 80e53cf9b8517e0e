"""What a receiver accepts by default, and a bundle reader applies: one place for the numbers.

``sync.protocol.Limits`` (the receiver's, configurable) and
``kiosk.core.export.BundleLimits`` (reading a USB bundle) start from these. No imports:
the CLI loads this at start.
"""

MAX_BLOB_BYTES = 8 * 1024 * 1024
MAX_JSON_BYTES = 256 * 1024
MAX_TEXT_CHARS = 10_000
LIMITED_TEXT_FIELDS = ("text", "title", "author_name", "district")
"""Text fields whose length ``max_text_chars`` bounds (in characters, not bytes)."""
