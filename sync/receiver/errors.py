"""The receiver's one error type: raised by any route, answered as the protocol's JSON error."""

from __future__ import annotations


class ApiError(Exception):
    """An answer with ``status`` and the protocol's error body (see ``sync.protocol.error_body``).

    Attributes:
        status: the HTTP status.
        message: what went wrong, for the client's log and the staff panel.
        field: the request part it is about (``"sha256"``, ``"Authorization"``, ...), if any.
        headers: extra response headers (``WWW-Authenticate``, ``Connection: close``, ...).
    """

    def __init__(self, status: int, message: str, field_name: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field_name
        self.headers = headers
