"""Proof that nothing was lost: ask the receiver for the receipt of every submission held.

``kiosk reconcile`` and the panel's *Reconcile* button print: total held,
delivered and verified (the receiver's digest equals the local content),
pending, failed (with reasons), withheld, and every receipt mismatch.
:attr:`ReconcileReport.ok` (exit 0) only when everything not withheld is
delivered and verified.

The receipt lookup follows ``docs/sync-protocol.md`` (``GET
/api/v1/submissions/{id}`` with the kiosk's bearer token; 200 receipt, 404
unknown; ``GET /api/v1/health`` without a token). :class:`ReceiverClient` is a
small ``requests`` client with explicit timeouts; it can be replaced by the
sync client's session once that is on main. No Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.core.model import accepted_digests


API_PREFIX = "/api/v1"
EXIT_OK, EXIT_MISMATCH, EXIT_CONFIG = 0, 1, 2

Progress = Callable[[int, int], None]


class ReconcileError(Exception):
    """The receiver could not be asked (message for staff; ``code`` 1 unreachable, 2 config/auth)."""

    def __init__(self, message: str, code: int = EXIT_MISMATCH) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class ReconcileReport:
    held: int = 0
    verified: int = 0
    pending: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)      # (id, reason)
    withheld: list[tuple[str, str]] = field(default_factory=list)    # (id, reason)
    mismatches: list[tuple[str, str]] = field(default_factory=list)  # (id, what differs)
    not_recorded: int = 0  # the receiver has it and it matches, but the kiosk had no receipt yet
    set_aside: list[str] = field(default_factory=list)  # damaged databases / drafts nothing reconciles

    @property
    def ok(self) -> bool:
        return not (self.pending or self.failed or self.mismatches or self.set_aside)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.ok else EXIT_MISMATCH


def api_root(endpoint: str) -> str:
    """``https://host/api/v1`` and ``https://host`` name the same receiver; returns the latter."""
    base = endpoint.strip().rstrip("/")
    return base[: -len(API_PREFIX)] if base.endswith(API_PREFIX) else base


class ReceiverClient:
    """Receipt and health lookups against the receiver (``requests``, timeouts always set)."""

    def __init__(self, endpoint: str, token: str, *, session: Any = None, connect_timeout: float = 5.0,
                 read_timeout: float = 20.0, verify: bool | str = True) -> None:
        import requests

        self.base = api_root(endpoint)
        self.token = token
        self.session = session or requests.Session()
        self.timeout = (connect_timeout, read_timeout)
        self.verify = verify

    @classmethod
    def from_config(cls, config: Any, session: Any = None) -> ReceiverClient:
        """Endpoint, token file and CA bundle from ``[sync]``.

        Raises:
            ReconcileError: (code 2) no endpoint or the token file is missing/unreadable.
        """
        sync = config.sync
        if not sync.endpoint:
            raise ReconcileError("no receiver is configured ([sync] endpoint is empty)", EXIT_CONFIG)
        try:
            token = Path(sync.token_file).expanduser().read_text(encoding="utf-8").strip() if sync.token_file else ""
        except OSError as exc:
            raise ReconcileError(f"cannot read the kiosk token from {sync.token_file}: {exc.strerror}",
                                 EXIT_CONFIG) from None
        if not token:
            raise ReconcileError("no kiosk token ([sync] token_file is empty or missing)", EXIT_CONFIG)
        return cls(sync.endpoint, token, session=session, connect_timeout=sync.connect_timeout_s,
                   read_timeout=sync.read_timeout_s, verify=sync.ca_bundle or True)

    def _get(self, path: str, auth: bool) -> Any:
        import requests

        headers = {"Authorization": f"Bearer {self.token}"} if auth else {}
        try:
            return self.session.get(self.base + API_PREFIX + path, headers=headers, timeout=self.timeout,
                                    verify=self.verify)
        except requests.RequestException as exc:
            raise ReconcileError(f"cannot reach the receiver at {self.base}: {exc.__class__.__name__}") from None

    def health(self) -> dict[str, Any]:
        """The receiver's health answer (no token needed)."""
        resp = self._get("/health", auth=False)
        if resp.status_code != 200:
            raise ReconcileError(f"the receiver at {self.base} answered {resp.status_code} to a health check")
        return resp.json()

    def receipt(self, submission_id: str) -> dict[str, Any] | None:
        """The receipt the receiver holds for ``submission_id``, or None when it does not know it."""
        resp = self._get(f"/submissions/{submission_id}", auth=True)
        if resp.status_code == 404:
            return None
        if resp.status_code in (401, 403):
            raise ReconcileError("the receiver did not accept this kiosk's token; ask IT for a new one",
                                 EXIT_CONFIG)
        if resp.status_code != 200:
            raise ReconcileError(f"the receiver answered {resp.status_code} for {submission_id}")
        return resp.json()


def reconcile(store: Any, receipt: Callable[[str], dict | None], *,
              progress: Progress | None = None) -> ReconcileReport:
    """Compare every held submission with what the receiver says it has.

    Args:
        receipt: looks one id up at the receiver (e.g. :meth:`ReceiverClient.receipt`).

    Raises:
        ReconcileError: the receiver cannot be asked (the report would be meaningless).
    """
    rows = store.query("SELECT submission_id, status, last_error, withheld_reason, receipt "
                       "FROM sync_state ORDER BY created_key")
    from kiosk.core.purge import set_aside_files  # noqa: PLC0415 - purge imports this module's peers

    report = ReconcileReport(held=len(rows), set_aside=[str(p) for p in set_aside_files(store)])
    for n, (sid, status, error, reason, local_receipt) in enumerate(rows, 1):
        if status == "withheld":
            report.withheld.append((sid, reason or ""))
        else:
            _check_one(store, report, sid, status, error, local_receipt, receipt(sid))
        if progress is not None and (n % 50 == 0 or n == len(rows)):
            progress(n, len(rows))
    return report


def _check_one(store: Any, report: ReconcileReport, sid: str, status: str, error: str | None,
               local_receipt: str | None, remote: dict | None) -> None:
    sub = store.get(sid)
    digest = sub.digest() if sub is not None else ""
    if remote is not None:
        if sub is not None and remote.get("sha256") in accepted_digests(sub):
            report.verified += 1
            report.not_recorded += status != "sent"
        else:
            report.mismatches.append((sid, f"receiver holds sha256 {remote.get('sha256')}, kiosk has {digest}"))
    elif status == "sent":
        report.mismatches.append((sid, "the kiosk has a receipt, but the receiver does not know this submission"))
    elif status == "failed":
        report.failed.append((sid, error or "no reason recorded"))
    else:
        report.pending.append(sid)


def format_report(report: ReconcileReport, *, limit: int = 20) -> str:
    """The plain-text summary ``kiosk reconcile`` prints."""
    lines = [f"Held on this kiosk:         {report.held}",
             f"Delivered and verified:     {report.verified}"
             + (f" ({report.not_recorded} not yet recorded here)" if report.not_recorded else ""),
             f"Pending (not at receiver):  {len(report.pending)}",
             f"Failed:                     {len(report.failed)}",
             f"Withheld by staff:          {len(report.withheld)}",
             f"Receipt mismatches:         {len(report.mismatches)}"]
    for name in report.set_aside:
        lines.append(f"  Set aside, never synced: {name} (a damaged database or draft; "
                     "contributions in it cannot be proven delivered)")
    for title, items in (("Failed", report.failed), ("Mismatch", report.mismatches)):
        for sid, why in items[:limit]:
            lines.append(f"  {title} {sid}: {why}")
        if len(items) > limit:
            lines.append(f"  ... and {len(items) - limit} more")
    lines.append("OK: everything not withheld is delivered and verified." if report.ok
                 else "NOT OK: some contributions are not verified at the receiver.")
    return "\n".join(lines)
