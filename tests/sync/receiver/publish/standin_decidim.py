"""A Decidim stand-in on 127.0.0.1: NOT Decidim, a GraphQL server (graphql-core) over the part of
Decidim's API schema the connector uses, as read from decidim's public sources:
decidim-api (``POST /api/sign_in`` with ``api_user[key]``/``api_user[secret]``, the token in the
``Authorization`` header), decidim-proposals ``lib/decidim/api/mutations/create_proposal_type.rb``
and ``proposal_attributes.rb`` (``createProposal(attributes: ProposalAttributes!)``, decidim PR
#15790), the proposals connection (``first``/``after``, ``edges { node }``, ``pageInfo``) and
``TranslatedField.translation(locale:)``. Proposal rules: title 15-150 characters, body >= 15.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from urllib.parse import parse_qs

from graphql import GraphQLError, build_schema, graphql_sync

from tests.sync.receiver.publish.standins import StandIn

FAKE_KEY = "fake-decidim-api-key-0000"      # made-up test credentials, not real ones
FAKE_SECRET = "fake-decidim-api-secret-0000"

SDL = """
type Query {
  session: Session
  component(id: ID!): Component
}
type Session { user: User }
type User { id: ID! name: String! nickname: String! }
interface Component { id: ID! }
type Proposals implements Component {
  id: ID!
  proposals(first: Int, after: String, order: ProposalSort): ProposalConnection!
}
input ProposalSort { publishedAt: String }
type ProposalConnection { edges: [ProposalEdge!]! pageInfo: PageInfo! }
type ProposalEdge { cursor: String! node: Proposal! }
type PageInfo { hasNextPage: Boolean! endCursor: String }
type Proposal { id: ID! title: TranslatedField! body: TranslatedField! }
type TranslatedField { translation(locale: String!): String }
type Mutation { component(id: ID!): ComponentMutation }
union ComponentMutation = ProposalsMutation
type ProposalsMutation { id: ID! createProposal(attributes: ProposalAttributes!): Proposal }
input ProposalAttributes {
  address: String
  body: String!
  latitude: Float
  longitude: Float
  taxonomies: [ID!]
  title: String!
}
"""


class DecidimStandIn(StandIn):
    def __init__(self, component_id: str = "12") -> None:
        super().__init__()
        self.schema = build_schema(SDL)
        self.schema.get_type("Component").resolve_type = lambda *_a: "Proposals"
        self.schema.get_type("ComponentMutation").resolve_type = lambda *_a: "ProposalsMutation"
        self.component_id = component_id
        self.lock = threading.Lock()
        self.tokens: set[str] = set()
        self.proposals: list[dict] = []   # {"id", "title", "body", "locale"}
        self.sign_ins = 0
        self.fail_next = 0                 # answer 500 to this many API requests
        self.delay_s = 0.0
        self.drop_answer_once = False      # create the proposal, then answer 502 (the answer is lost)

    # -------------------------------------------------------------- resolvers
    def _component(self, _root, _info, id):  # noqa: A002, ANN001, ANN202
        return {"id": id} if id == self.component_id else None

    def _create(self, attributes: dict, locale: str) -> dict:
        title, body = attributes["title"], attributes["body"]
        problems = []
        if not 15 <= len(title) <= 150:
            problems.append(f"Title is too {'short' if len(title) < 15 else 'long'} "
                            f"({'minimum is 15' if len(title) < 15 else 'maximum is 150'} characters)")
        if len(body) < 15:
            problems.append("Body is too short (minimum is 15 characters)")
        if sum(c.isupper() for c in title) > len(title) / 2:  # Decidim's EtiquetteValidator
            problems.append("Title is using too many capital letters")
        if problems:
            raise GraphQLError("; ".join(problems), extensions={"code": "ATTRIBUTE_VALIDATION_ERROR"})
        with self.lock:
            proposal = {"id": str(100 + len(self.proposals)), "title": title, "body": body, "locale": locale}
            self.proposals.append(proposal)
        return proposal

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        lower = {k.lower(): v for k, v in headers.items()}
        if path == "/api/sign_in" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            with self.lock:
                self.sign_ins += 1
            if (form.get("api_user[key]"), form.get("api_user[secret]")) != (FAKE_KEY, FAKE_SECRET):
                return 401, {"content-type": "application/json"}, b'{"error":"Invalid key or secret."}'
            token = secrets.token_urlsafe(24)
            with self.lock:
                self.tokens.add(token)
            return 200, {"Authorization": f"Bearer {token}", "content-type": "application/json"}, \
                json.dumps({"jwt_token": token}).encode()
        if path != "/api" or method != "POST":
            return 404, {}, b""
        time.sleep(self.delay_s)
        with self.lock:
            if self.fail_next:
                self.fail_next -= 1
                return 500, {}, b"Internal Server Error"
        token = lower.get("authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            return 401, {"content-type": "application/json"}, b'{"errors":[{"message":"Unauthorized"}]}'
        request = json.loads(body)
        locale = lower.get("accept-language", "de")
        root = {
            "component": lambda info, id: self._component(None, info, id),  # noqa: A006
        }
        standin = self

        class Mut:
            def __init__(self, cid: str) -> None:
                self.id = cid

            def createProposal(self, _info, attributes):  # noqa: N802, ANN001, ANN201
                return standin._create(attributes, locale)

        class Comp:
            def __init__(self, cid: str) -> None:
                self.id = cid

            def proposals(self, _info, first=50, after=None, order=None):  # noqa: ANN001, ANN201
                with standin.lock:
                    items = list(reversed(standin.proposals))
                start = int(after) if after else 0
                page = items[start:start + min(first or 50, 50)]
                end = start + len(page)
                return {"edges": [{"cursor": str(start + i + 1),
                                   "node": {"id": p["id"],
                                            "title": {"translation": lambda _i, locale, p=p: p["title"]},
                                            "body": {"translation": lambda _i, locale, p=p: p["body"]}}}
                                  for i, p in enumerate(page)],
                        "pageInfo": {"hasNextPage": end < len(items), "endCursor": str(end)}}

        is_mutation = request["query"].lstrip().startswith("mutation")
        root_value = {"component": (lambda _info, id: Mut(id) if id == self.component_id else None) if is_mutation
                      else (lambda _info, id: Comp(id) if id == self.component_id else None)}
        del root
        result = graphql_sync(self.schema, request["query"], root_value=root_value,
                              variable_values=request.get("variables"))
        out: dict = {"data": result.data}
        if result.errors:
            out["errors"] = [e.formatted for e in result.errors]
        if is_mutation and self.drop_answer_once and not result.errors:
            self.drop_answer_once = False
            return 502, {}, b"Bad Gateway"
        return 200, {"content-type": "application/json"}, json.dumps(out).encode()
