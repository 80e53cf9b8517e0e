"""Decidim: each approved idea becomes a proposal through Decidim's GraphQL API (``createProposal``).

Decidim's write API (decidim PR #15790) signs an *API user* in with its key and secret
(``POST /api/sign_in`` with ``api_user[key]``/``api_user[secret]``; the token comes back in
the ``Authorization`` header) and creates a proposal in a proposals component with
``createProposal(attributes: {title, body})``. Decidim's documentation says such machine
credentials must never sit on a device participants can touch: here they live only in files
of the receiver (``receiver.toml`` names them; see ``sync.receiver.publish.config``).

Decidim's proposal rules are checked before anything is sent (:func:`fit`): a title of 15 to
150 characters and a body of at least 15. An idea that does not fit is never cut: it goes to
``needs_editing`` with the reason, and staff give a title or body for Decidim (kept beside
the visitor's own text). A validation error Decidim reports goes the same way.

Decidim has no idempotency key. The body ends with the visitor's reference code
(``Kiosk-Nr. ABC123``); before sending an item again whose earlier attempt may have reached
Decidim, the connector looks for a proposal with that line in the component and takes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from sync.receiver.publish.config import PublishConfigError, Secret
from sync.receiver.publish.connectors.http import DEFAULT_TIMEOUT, outcome_of_error, outcome_of_status
from sync.receiver.publish.outbox import EditRules, Outcome, PublishItem
from sync.receiver.publish.platform_item import reference_line

TITLE_MIN, TITLE_MAX, BODY_MIN = 15, 150, 15

CREATE = """mutation CreateProposal($component: ID!, $attributes: ProposalAttributes!) {
  component(id: $component) {
    ... on ProposalsMutation { createProposal(attributes: $attributes) { id } }
  }
}"""

RECENT = """query Recent($component: ID!, $after: String, $locale: String!) {
  component(id: $component) {
    ... on Proposals {
      proposals(first: 50, after: $after, order: {publishedAt: "desc"}) {
        edges { node { id body { translation(locale: $locale) } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
}"""


@dataclass(frozen=True, slots=True)
class Fitted:
    title: str = ""
    body: str = ""
    problem: str = ""


def marker(reference_code: str) -> str:
    return f"Kiosk-Nr. {reference_code}"


def fit(data: dict[str, Any], edits: dict[str, str]) -> Fitted:
    """Title and body for Decidim, or the problem staff must solve. Pure; nothing is cut.

    The title is staff's edit, else the visitor's title, else the whole text when it is a
    title's length; the body is staff's edit, else the text, with the reference line after it
    and, when the visitor attached the idea to a platform item, ``Bezug: <title> <url>``
    (``Reference: ...`` for an idea in English).
    """
    text = (data.get("text") or "").strip()
    title = (edits.get("title") or data.get("title") or "").strip()
    if not title and TITLE_MIN <= len(text) <= TITLE_MAX:
        title = text
    body = (edits.get("body") or text).strip()
    if not title:
        return Fitted(problem=f"no title: Decidim needs a title of {TITLE_MIN} to {TITLE_MAX} characters")
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        return Fitted(problem=f"the title has {len(title)} characters; Decidim needs {TITLE_MIN} to {TITLE_MAX}")
    if len(body) < BODY_MIN:
        return Fitted(problem=f"the text has {len(body)} characters; Decidim needs at least {BODY_MIN}")
    tail = [marker(data.get("reference_code") or "")]
    if reference := reference_line(data):  # the platform item the visitor attached the idea to
        tail.append(reference)
    return Fitted(title, f"{body}\n\n" + "\n".join(tail))


class DecidimConnector:
    name = "decidim"
    edit_rules = EditRules(TITLE_MIN, TITLE_MAX, BODY_MIN, None)
    """What staff's edit page checks (Decidim's own rules)."""

    def __init__(self, api_url: str, component_id: str, key: Secret, secret: Secret, proposal_url: str, *,
                 session: requests.Session | None = None, timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        if not api_url.startswith(("https://", "http://")):
            raise PublishConfigError("connectors.decidim.api_url must be an http(s) URL like https://DOMAIN/api")
        if "{id}" not in proposal_url:
            raise PublishConfigError("connectors.decidim.proposal_url needs {id}, e.g. "
                                     "https://DOMAIN/processes/SLUG/f/COMPONENT/proposals/{id}")
        self.api_url = api_url.rstrip("/")
        self.component_id = str(component_id)
        self._key, self._secret = key, secret
        self.proposal_url = proposal_url
        self.session = session or requests.Session()
        self.timeout = timeout
        self._bearer: str | None = None

    @classmethod
    def from_config(cls, table: dict[str, Any]) -> DecidimConnector:
        for needed in ("api_url", "component_id", "key", "secret", "proposal_url"):
            if needed not in table:
                raise PublishConfigError(f"connectors.decidim.{needed}{'_file' if needed in ('key', 'secret') else ''}"
                                         " is missing")
        return cls(str(table["api_url"]), str(table["component_id"]), table["key"], table["secret"],
                   str(table["proposal_url"]))

    # ---------------------------------------------------------------- API
    def _sign_in(self) -> Outcome | None:
        try:
            resp = self.session.post(self.api_url + "/sign_in", timeout=self.timeout,
                                     data={"api_user[key]": self._key.value, "api_user[secret]": self._secret.value})
        except requests.RequestException as exc:
            return outcome_of_error(exc, "Decidim's sign-in")
        if resp.status_code in (401, 403):
            return Outcome.failed("Decidim refused the API user's key and secret (check the files named in "
                                  "receiver.toml, and that the API user is not revoked)")
        failure = outcome_of_status(resp, "Decidim's sign-in")
        if failure:
            return failure
        header = resp.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return Outcome.failed("Decidim's sign-in gave no Bearer token")
        self._bearer = header
        return None

    def _graphql(self, query: str, variables: dict[str, Any], locale: str) -> tuple[dict | None, Outcome | None]:
        for attempt in (1, 2):
            if self._bearer is None:
                failure = self._sign_in()
                if failure:
                    return None, failure
            try:
                resp = self.session.post(self.api_url, json={"query": query, "variables": variables},
                                         headers={"Authorization": self._bearer or "", "Accept-Language": locale},
                                         timeout=self.timeout)
            except requests.RequestException as exc:
                return None, outcome_of_error(exc, "Decidim")
            if resp.status_code == 401 and attempt == 1:
                self._bearer = None  # expired or revoked: sign in again, once
                continue
            failure = outcome_of_status(resp, "Decidim")
            if failure:
                return None, failure
            try:
                return resp.json(), None
            except ValueError:
                return None, Outcome.retry("Decidim's answer is not JSON")
        return None, Outcome.failed("Decidim refused the token right after signing in")

    def find(self, reference_code: str, locale: str, pages: int = 4) -> str | None:
        """The id of a proposal of this component that carries *reference_code*'s line, if any."""
        after = None
        line = marker(reference_code)
        for _ in range(pages):
            answer, failure = self._graphql(RECENT, {"component": self.component_id, "after": after,
                                                     "locale": locale}, locale)
            if failure or not answer or answer.get("errors"):
                return None
            conn = (((answer.get("data") or {}).get("component") or {}).get("proposals") or {})
            for edge in conn.get("edges") or []:
                node = edge.get("node") or {}
                if line in ((node.get("body") or {}).get("translation") or ""):
                    return str(node.get("id"))
            info = conn.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return None
            after = info.get("endCursor")
        return None

    def publish(self, item: PublishItem) -> Outcome:
        fitted = fit(item.data, item.edits)
        if fitted.problem:
            return Outcome.needs_editing(fitted.problem)
        locale = (item.data.get("locale") or "de").split("-")[0]
        if item.attempts:  # an earlier attempt may have reached Decidim: never make a second proposal
            found = self.find(item.data.get("reference_code", ""), locale)
            if found:
                return Outcome.published(found, self.proposal_url.replace("{id}", found))
        answer, failure = self._graphql(CREATE, {"component": self.component_id,
                                                 "attributes": {"title": fitted.title, "body": fitted.body}}, locale)
        if failure:
            return failure
        assert answer is not None
        if answer.get("errors"):
            message = "; ".join(str(e.get("message", ""))[:200] for e in answer["errors"][:3])
            code = " ".join(str((e.get("extensions") or {}).get("code", "")) for e in answer["errors"]).lower()
            if "unauthorized" in code or "not authorized" in message.lower():
                return Outcome.failed(f"Decidim does not let the API user create proposals here: {message}")
            return Outcome.needs_editing(f"Decidim refused it: {message}")
        created = (((answer.get("data") or {}).get("component") or {}).get("createProposal") or {})
        if not created.get("id"):
            return Outcome.failed("Decidim's answer names no proposal")
        proposal_id = str(created["id"])
        return Outcome.published(proposal_id, self.proposal_url.replace("{id}", proposal_id))
