"""``kiosk content pull``: current proposals and debates from CONSUL's public GraphQL API.

CONSUL's API (``/graphql``) is read-only and public, with limits this client keeps: 25 items a
page (``default_max_page_size 25``), query depth at most 8 and at most 2 collections per query
(consuldemocracy ``app/graphql/consul_schema.rb`` and its API documentation). Each query asks
for one kind and its tags (2 collections, depth 7), page after page by cursor. Every request
has a timeout; a timeout, a lost connection, 429 or 5xx is tried again after a pause (1, 2,
4 s), and then the pull stops with a clear message. No Qt; the staff run it before the event.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import requests

from kiosk.core.content import MAX_SUMMARY_CHARS, PlatformItem

PAGE_SIZE = 25
RETRIES = 3

QUERIES = {
    "proposal": """query Page($after: String) {
  proposals(first: 25, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id title summary geozone { name } tags { edges { node { name } } } } }
  }
}""",
    "debate": """query Page($after: String) {
  debates(first: 25, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id title description tags { edges { node { name } } } } }
  }
}""",
}
PATHS = {"proposal": "proposals", "debate": "debates"}


class ContentPullError(RuntimeError):
    """The pull could not finish; the message says why, in one line."""


def plain_summary(html_or_text: str) -> str:
    """A short plain summary of a platform's (HTML) description, for the terminal's card."""
    text = re.sub(r"<[^>]*>", " ", html_or_text or "")
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= MAX_SUMMARY_CHARS else text[:MAX_SUMMARY_CHARS - 1].rstrip() + "…"


class ConsulPuller:
    def __init__(self, base_url: str, *, session: requests.Session | None = None,
                 timeout: tuple[float, float] = (5.0, 20.0), sleep: Callable[[float], None] = time.sleep,
                 max_pages: int = 80) -> None:
        self.base = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.timeout = timeout
        self.sleep = sleep
        self.max_pages = max_pages

    def _post(self, query: str, after: str | None) -> dict[str, Any]:
        last = ""
        for attempt in range(RETRIES + 1):
            if attempt:
                self.sleep(2 ** (attempt - 1))
            try:
                resp = self.session.post(self.base + "/graphql", json={"query": query, "variables": {"after": after}},
                                         timeout=self.timeout)
            except requests.Timeout:
                last = "timed out"
                continue
            except requests.RequestException as exc:
                last = f"could not be reached ({type(exc).__name__})"
                continue
            if resp.status_code == 429 or resp.status_code >= 500:
                last = f"answered {resp.status_code}"
                continue
            if resp.status_code != 200:
                raise ContentPullError(f"{self.base}/graphql answered {resp.status_code}")
            try:
                body = resp.json()
            except ValueError:
                raise ContentPullError(f"{self.base}/graphql did not answer with JSON: is it CONSUL?") from None
            if body.get("errors"):
                raise ContentPullError(f"CONSUL refused the query: {body['errors'][0].get('message', '')[:200]}")
            return body.get("data") or {}
        raise ContentPullError(f"{self.base}/graphql {last}, {RETRIES + 1} times")

    def pull(self, kinds: tuple[str, ...] = ("proposal", "debate"),
             progress: Callable[[str, int], None] = lambda _kind, _n: None) -> list[PlatformItem]:
        items: list[PlatformItem] = []
        for kind in kinds:
            after, count = None, 0
            for _ in range(self.max_pages):
                conn = self._post(QUERIES[kind], after).get(PATHS[kind]) or {}
                for edge in conn.get("edges") or []:
                    node = edge.get("node") or {}
                    if not node.get("id") or not (node.get("title") or "").strip():
                        continue
                    tags = tuple(t["node"]["name"] for t in ((node.get("tags") or {}).get("edges") or [])
                                 if (t.get("node") or {}).get("name"))
                    items.append(PlatformItem(
                        kind, str(node["id"]), node["title"].strip(),
                        plain_summary(node.get("summary") or node.get("description") or ""),
                        f"{self.base}/{PATHS[kind]}/{node['id']}", tags,
                        ((node.get("geozone") or {}).get("name") or "")))
                    count += 1
                progress(kind, count)
                info = conn.get("pageInfo") or {}
                if not info.get("hasNextPage"):
                    break
                after = info.get("endCursor")
        return items
