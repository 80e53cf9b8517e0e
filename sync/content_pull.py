"""``kiosk content pull``: current proposals and debates from the platform's public GraphQL API.

CONSUL Democracy (:class:`ConsulPuller`) and Decidim (:class:`DecidimPuller`, below).

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


class GraphQLRefused(ContentPullError):
    """The platform answered, with GraphQL errors (a field its version lacks, a limit)."""


def _post_graphql(session: requests.Session, url: str, query: str, variables: dict[str, Any],
                  timeout: tuple[float, float], sleep: Callable[[float], None], platform: str) -> dict[str, Any]:
    """The ``data`` of one GraphQL answer; a timeout, lost connection, 429 or 5xx is tried again
    after 1, 2, 4 s; anything else (and the last failure) is a :class:`ContentPullError`."""
    last = ""
    for attempt in range(RETRIES + 1):
        if attempt:
            sleep(2 ** (attempt - 1))
        try:
            resp = session.post(url, json={"query": query, "variables": variables}, timeout=timeout)
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
            raise ContentPullError(f"{url} answered {resp.status_code}")
        try:
            body = resp.json()
        except ValueError:
            raise ContentPullError(f"{url} did not answer with JSON: is it {platform}?") from None
        if not isinstance(body, dict):
            raise ContentPullError(f"{url} did not answer with a GraphQL result: is it {platform}?")
        if body.get("errors"):
            raise GraphQLRefused(f"{platform} refused the query: {str(body['errors'][0].get('message', ''))[:200]}")
        return body.get("data") or {}
    raise ContentPullError(f"{url} {last}, {RETRIES + 1} times")


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
        return _post_graphql(self.session, self.base + "/graphql", query, {"after": after}, self.timeout,
                             self.sleep, "CONSUL")

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


# ---------------------------------------------------------------------------------------- Decidim
# Decidim's public API (``POST /api``, decidim-api): ``participatoryProcesses`` is a plain list
# (decidim-participatory_processes ``query_extensions.rb``), each process a
# ``ParticipatorySpaceInterface`` with ``slug`` and ``components``; a proposals component is the
# type ``Proposals`` (decidim-proposals ``lib/decidim/api/proposals_type.rb``) with a cursor
# connection ``proposals(first:, after:)``; a proposal's ``title`` and ``body`` are
# ``TranslatedField``s (``translation(locale:)``, ``translations { locale text }``). Decidim 0.30
# and later tag proposals with ``taxonomies`` (``TaxonomizableInterface``); earlier versions
# have ``category`` and ``scope`` (``CategorizableInterface``, ``ScopableInterface``) and mark a
# withdrawn proposal by its ``state``. Limits (decidim-api ``schema.rb``, ``Decidim::Api``
# defaults): at most 50 a page, depth 15, complexity 5000; the queries below keep to them.

DECIDIM_PAGE_SIZE = 50

DECIDIM_SPACES = """query Spaces($locale: String!) {
  participatoryProcesses {
    id
    slug
    title { translation(locale: $locale) }
    components { id __typename }
  }
}"""

_DECIDIM_PROPOSALS = """query Proposals($component: ID!, $after: String, $locale: String!) {
  component(id: $component) {
    ... on Proposals {
      proposals(first: 50, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { id state %s
          title { translation(locale: $locale) translations { locale text } }
          body { translation(locale: $locale) translations { locale text } } } }
      }
    }
  }
}"""
DECIDIM_PROPOSALS = _DECIDIM_PROPOSALS % "withdrawn taxonomies { name { translation(locale: $locale) } }"
"""Decidim 0.30 and later: taxonomies as tags; ``withdrawn`` a field of its own."""
DECIDIM_PROPOSALS_LEGACY = _DECIDIM_PROPOSALS % ("category { name { translation(locale: $locale) } } "
                                                 "scope { name { translation(locale: $locale) } }")
"""Decidim before 0.30: the category as the tag, the scope as the geozone."""

HIDDEN_STATES = ("withdrawn", "rejected")
"""Proposals not worth attaching a new idea to: not pulled."""


def translated(field: Any, locale: str) -> str:
    """A ``TranslatedField`` in *locale*, else in the first language it has (machine
    translations, under ``machine_translations``, are not taken)."""
    if not isinstance(field, dict):
        return ""
    text = field.get("translation")
    if isinstance(text, str) and text.strip():
        return text.strip()
    for entry in field.get("translations") or []:
        if isinstance(entry, dict) and isinstance(entry.get("text"), str) and entry["text"].strip() \
                and entry.get("locale") != "machine_translations":
            return entry["text"].strip()
    return ""


class DecidimPuller:
    """Current proposals of every proposals component of every participatory process.

    Args:
        base_url: the Decidim site (its API at ``/api``).
        locale: the language to read titles and bodies in (another one when an item lacks it).
    """

    def __init__(self, base_url: str, *, locale: str = "de", session: requests.Session | None = None,
                 timeout: tuple[float, float] = (5.0, 20.0), sleep: Callable[[float], None] = time.sleep,
                 max_pages: int = 40) -> None:
        self.base = base_url.rstrip("/")
        self.locale = locale
        self.session = session or requests.Session()
        self.timeout = timeout
        self.sleep = sleep
        self.max_pages = max_pages
        self.legacy: bool | None = None
        """Whether the site is a Decidim before 0.30 (found out by the first proposals query)."""

    def _post(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return _post_graphql(self.session, self.base + "/api", query, {**variables, "locale": self.locale},
                             self.timeout, self.sleep, "Decidim")

    def components(self) -> list[tuple[str, str]]:
        """(process slug, component id) of every proposals component."""
        out = []
        for space in self._post(DECIDIM_SPACES, {}).get("participatoryProcesses") or []:
            if not isinstance(space, dict) or not space.get("slug"):
                continue
            for comp in space.get("components") or []:
                if isinstance(comp, dict) and comp.get("__typename") == "Proposals" and comp.get("id"):
                    out.append((str(space["slug"]), str(comp["id"])))
        return out

    def _page(self, component: str, after: str | None) -> dict[str, Any]:
        variables = {"component": component, "after": after}
        if not self.legacy:
            try:
                data = self._post(DECIDIM_PROPOSALS, variables)
                self.legacy = False
                return data
            except GraphQLRefused as exc:
                if self.legacy is False or not any(f in str(exc) for f in ("taxonomies", "withdrawn")):
                    raise
                self.legacy = True  # a Decidim before 0.30: category and scope instead
        return self._post(DECIDIM_PROPOSALS_LEGACY, variables)

    def _item(self, node: dict[str, Any], slug: str, component: str) -> PlatformItem | None:
        title = translated(node.get("title"), self.locale)
        if not node.get("id") or not title or node.get("withdrawn") or node.get("state") in HIDDEN_STATES:
            return None
        if self.legacy:
            tags = tuple(t for t in [translated((node.get("category") or {}).get("name"), self.locale)] if t)
            geozone = translated((node.get("scope") or {}).get("name"), self.locale)
        else:
            tags = tuple(t for t in (translated((x or {}).get("name"), self.locale)
                                     for x in node.get("taxonomies") or []) if t)
            geozone = ""
        return PlatformItem("proposal", str(node["id"]), title,
                            plain_summary(translated(node.get("body"), self.locale)),
                            f"{self.base}/processes/{slug}/f/{component}/proposals/{node['id']}", tags, geozone)

    def pull(self, kinds: tuple[str, ...] = ("proposal",),
             progress: Callable[[str, int], None] = lambda _kind, _n: None) -> list[PlatformItem]:
        if "proposal" not in kinds:
            return []
        items: list[PlatformItem] = []
        for slug, component in self.components():
            after = None
            for _ in range(self.max_pages):
                conn = (self._page(component, after).get("component") or {}).get("proposals") or {}
                for edge in conn.get("edges") or []:
                    item = self._item((edge or {}).get("node") or {}, slug, component)
                    if item is not None:
                        items.append(item)
                progress("proposal", len(items))
                info = conn.get("pageInfo") or {}
                if not info.get("hasNextPage"):
                    break
                after = info.get("endCursor")
        return items
