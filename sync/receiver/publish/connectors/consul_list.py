"""CONSUL today: a re-entry list for CONSUL's management interface.

CONSUL Democracy has no write API yet (its GraphQL API is read-only; POST/PATCH of proposals
is the open upstream issue consuldemocracy/consuldemocracy#6529). Its management interface
lets staff create proposals on behalf of people. This connector is *manual*: the outbox
never calls it; its pending rows are the list staff print (HTML) or open (CSV), with the
exact text, the field of action as a tag, the reference code, and (only when the receiver's
config allows it, since the kiosk's consent text says the district is not published) the
district as geozone. Staff record "entered as proposal N" (``Outbox.record_manual``), and the
visitor's status page links to ``proposal_url`` with that N.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sync.receiver.publish.config import PublishConfigError
from sync.receiver.publish.outbox import Outcome, PublishItem
from sync.receiver.publish.platform_item import platform_item

COLUMNS = ("reference_code", "title", "text", "tag", "geozone", "author_name", "reference", "submission_id")
"""``reference``: the URL of the proposal or debate the visitor attached the idea to ("Bezug")."""


@dataclass(frozen=True, slots=True)
class ConsulListConnector:
    proposal_url: str
    district_as_geozone: bool = False
    name: str = "consul_list"
    manual: bool = True

    @classmethod
    def from_config(cls, table: dict[str, Any]) -> ConsulListConnector:
        url = str(table.get("proposal_url", ""))
        if "{id}" not in url or not url.startswith(("https://", "http://")):
            raise PublishConfigError("connectors.consul_list.proposal_url needs {id}, e.g. "
                                     "https://mitmachen.jena.de/proposals/{id}")
        return cls(url, bool(table.get("district_as_geozone", False)))

    def publish(self, item: PublishItem) -> Outcome:  # never called: the outbox skips manual connectors
        return Outcome.retry("entered by hand in CONSUL's management interface")

    def row(self, data: dict[str, Any], tag: str) -> dict[str, str]:
        """One line of the list: the visitor's text exactly as stored."""
        return {"reference_code": data.get("reference_code") or "", "title": data.get("title") or "",
                "text": data.get("text") or "", "tag": tag,
                "geozone": (data.get("district") or "") if self.district_as_geozone else "",
                "author_name": data.get("author_name") or "",
                "reference": (platform_item(data) or {}).get("url", ""), "submission_id": data.get("id") or ""}

    def url_of(self, proposal_id: str) -> str:
        return self.proposal_url.replace("{id}", proposal_id)


def to_csv(rows: list[dict[str, str]]) -> str:
    """CSV (UTF-8 with BOM for spreadsheets); cells starting with = + - @ are quoted with a ' so a
    spreadsheet never runs a visitor's text as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
                         for v in (row[c] for c in COLUMNS)])
    return "\ufeff" + out.getvalue()
