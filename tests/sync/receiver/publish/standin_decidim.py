"""A Decidim stand-in on 127.0.0.1: NOT Decidim, a GraphQL server (graphql-core) over the part of
Decidim's API schema the connector uses, as read from decidim's public sources:
decidim-api (``POST /api/sign_in`` with ``api_user[key]``/``api_user[secret]``, the token in the
``Authorization`` header), decidim-proposals ``lib/decidim/api/mutations/create_proposal_type.rb``
and ``proposal_attributes.rb`` (``createProposal(attributes: ProposalAttributes!)``, decidim PR
#15790), the proposals connection (``first``/``after``, ``edges { node }``, ``pageInfo``) and
``TranslatedField.translation(locale:)``. Proposal rules: title 15-150 characters, body >= 15.

For ``kiosk content pull --decidim`` it also serves the public reading side, without signing in:
``participatoryProcesses`` (a plain list, decidim-participatory_processes ``query_extensions.rb``)
with ``slug`` and ``components`` (``ParticipatorySpaceInterface``; a proposals component is the
type ``Proposals``, others e.g. ``Meetings``), proposals with ``title``/``body`` as
``TranslatedField`` (``translation(locale:)``, ``translations { locale text }``), ``state``,
``withdrawn`` and ``taxonomies`` (Decidim 0.30 and later, ``TaxonomizableInterface``) or, with
``legacy=True``, ``category`` and ``scope`` instead (Decidim before 0.30). Limits of decidim-api
``schema.rb`` with ``Decidim::Api``'s defaults: 50 a page at most, query depth at most 15.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from urllib.parse import parse_qs

from graphql import FieldNode, GraphQLError, InlineFragmentNode, OperationDefinitionNode, ValidationRule, build_schema, graphql_sync, parse, validate

from tests.sync.receiver.publish.standins import StandIn

FAKE_KEY = "fake-decidim-api-key-0000"      # made-up test credentials, not real ones
FAKE_SECRET = "fake-decidim-api-secret-0000"

SDL = """
type Query {
  session: Session
  component(id: ID!): Component
  participatoryProcesses: [ParticipatoryProcess]
}
type Session { user: User }
type User { id: ID! name: String! nickname: String! }
type ParticipatoryProcess { id: ID! slug: String! title: TranslatedField! components: [Component] }
interface Component { id: ID! name: TranslatedField }
type Meetings implements Component { id: ID! name: TranslatedField }
type Proposals implements Component {
  id: ID!
  name: TranslatedField
  proposals(first: Int, after: String, order: ProposalSort): ProposalConnection!
}
input ProposalSort { publishedAt: String }
type ProposalConnection { edges: [ProposalEdge!]! pageInfo: PageInfo! }
type ProposalEdge { cursor: String! node: Proposal! }
type PageInfo { hasNextPage: Boolean! endCursor: String }
type Proposal {
  id: ID!
  title: TranslatedField
  body: TranslatedField
  state: String
  PROPOSAL_TAGS
}
type Taxonomy { id: ID! name: TranslatedField! }
type Category { id: ID! name: TranslatedField! }
type Scope { id: ID! name: TranslatedField! }
type LocalizedString { locale: String! text: String }
type TranslatedField {
  locales: [String]
  translation(locale: String!): String
  translations(locales: [String]): [LocalizedString]!
}
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
TAGS_NOW = "withdrawn: Boolean\n  taxonomies: [Taxonomy]"
TAGS_LEGACY = "category: Category\n  scope: Scope"
MAX_DEPTH, MAX_PAGE = 15, 50


def _depth(node) -> int:  # noqa: ANN001
    """Nested fields, as graphql-ruby counts them (``{ a }`` is 1; a fragment is no level of its own)."""
    sel = getattr(node, "selection_set", None)
    if not sel:
        return 1 if isinstance(node, FieldNode) else 0
    inner = max((_depth(s) for s in sel.selections), default=0)
    return inner if isinstance(node, InlineFragmentNode) else 1 + inner


def depth_rule(limit: int) -> type[ValidationRule]:
    class Depth(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args) -> None:  # noqa: ANN002
            depth = _depth(node) - 1
            if depth > limit:  # graphql-ruby's message
                self.report_error(GraphQLError(f"Query has depth of {depth}, which exceeds max depth of {limit}"))
    return Depth


def translated(texts: dict[str, str]) -> dict:
    """A ``TranslatedField`` value: the text per locale."""
    return {"locales": list(texts), "translation": lambda _i, locale: texts.get(locale),
            "translations": lambda _i, locales=None: [{"locale": k, "text": v} for k, v in texts.items()
                                                       if locales is None or k in locales]}


class DecidimStandIn(StandIn):
    def __init__(self, component_id: str = "12", *, legacy: bool = False) -> None:
        super().__init__()
        self.schema = build_schema(SDL.replace("PROPOSAL_TAGS", TAGS_LEGACY if legacy else TAGS_NOW))
        self.schema.get_type("Component").resolve_type = lambda obj, *_a: getattr(obj, "kind", "Proposals")
        self.schema.get_type("ComponentMutation").resolve_type = lambda *_a: "ProposalsMutation"
        self.component_id = component_id
        self.legacy = legacy
        self.max_depth = MAX_DEPTH
        self.lock = threading.Lock()
        self.tokens: set[str] = set()
        self.proposals: list[dict] = []   # created through the API: {"id", "title", "body", "locale"}
        self.seeded: dict[str, list[dict]] = {}  # component id -> published proposals, oldest first
        self.processes: list[dict] = [{"id": "1", "slug": "smart-city", "title": {"de": "Smart City"},
                                       "components": [(component_id, "Proposals"), ("13", "Meetings")]}]
        self.pages_asked: list[tuple[str, str | None]] = []  # (component, after) of each proposals page
        self.sign_ins = 0
        self.fail_next = 0                 # answer 500 to this many API requests
        self.delay_s = 0.0
        self.drop_answer_once = False      # create the proposal, then answer 502 (the answer is lost)

    # -------------------------------------------------------------- content
    def seed(self, component: str, n: int, *, start: int = 1) -> list[dict]:
        """*n* published proposals in *component*, with tags (taxonomies, or category and scope)."""
        made = [{"id": str(1000 + i), "title": f"Vorschlag {i}: Sitzbänke am Platz {i}",
                 "titles": {"de": f"Vorschlag {i}: Sitzbänke am Platz {i}", "en": f"Proposal {i}: benches"},
                 "body": f"<p>Mehr <b>Sitzbänke</b> {i} ☀</p>", "locale": "de",
                 "tags": ["Mobilität", "Grün"][: 1 + i % 2], "zone": ["Lobeda", "Zentrum"][i % 2]}
                for i in range(start, start + n)]
        with self.lock:
            self.seeded.setdefault(component, []).extend(made)
        return made

    def node(self, p: dict) -> dict:
        """A proposal as the API shows it."""
        out = {"id": p["id"], "title": translated(p.get("titles") or {p["locale"]: p["title"]}),
               "body": translated(p.get("bodies") or {p["locale"]: p["body"]}), "state": p.get("state")}
        if self.legacy:
            out["category"] = {"id": "1", "name": translated({"de": p["tags"][0]})} if p.get("tags") else None
            out["scope"] = {"id": "1", "name": translated({"de": p["zone"]})} if p.get("zone") else None
        else:
            out["withdrawn"] = bool(p.get("withdrawn"))
            out["taxonomies"] = [{"id": str(n), "name": translated({"de": t})} for n, t in enumerate(p.get("tags", []))]
        return out

    # -------------------------------------------------------------- resolvers
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
        return self.node(proposal)

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
        request = json.loads(body)
        is_mutation = request["query"].lstrip().startswith("mutation")
        token = lower.get("authorization", "").removeprefix("Bearer ")
        if token not in self.tokens and ("authorization" in lower or is_mutation):  # reading needs no sign-in
            return 401, {"content-type": "application/json"}, b'{"errors":[{"message":"Unauthorized"}]}'
        locale = lower.get("accept-language", "de")
        standin = self

        class Mut:
            def __init__(self, cid: str) -> None:
                self.id = cid

            def createProposal(self, _info, attributes):  # noqa: N802, ANN001, ANN201
                return standin._create(attributes, locale)

        class Comp:
            def __init__(self, cid: str, kind: str = "Proposals") -> None:
                self.id, self.kind = cid, kind
                self.name = translated({"de": kind})

            def proposals(self, _info, first=MAX_PAGE, after=None, order=None):  # noqa: ANN001, ANN201
                with standin.lock:
                    standin.pages_asked.append((self.id, after))
                    items = list(standin.seeded.get(self.id, []))
                    if self.id == standin.component_id:
                        items += standin.proposals
                items.reverse()  # newest first (the connector's order: {publishedAt: "desc"})
                start = int(after) if after else 0
                page = items[start:start + min(first or MAX_PAGE, MAX_PAGE)]  # graphql-ruby clamps the page
                end = start + len(page)
                return {"edges": [{"cursor": str(start + i + 1), "node": standin.node(p)} for i, p in enumerate(page)],
                        "pageInfo": {"hasNextPage": end < len(items), "endCursor": str(end)}}

        kinds = {cid: kind for p in self.processes for cid, kind in p["components"]}
        kinds.setdefault(self.component_id, "Proposals")
        root_value = {"component": (lambda _info, id: Mut(id) if id == self.component_id else None) if is_mutation
                      else (lambda _info, id: Comp(id, kinds[id]) if id in kinds else None),
                      "participatoryProcesses": lambda _info: [
                          {"id": p["id"], "slug": p["slug"], "title": translated(p["title"]),
                           "components": [Comp(cid, kind) for cid, kind in p["components"]]} for p in self.processes]}
        try:
            document = parse(request["query"])
        except GraphQLError as exc:
            return 200, {"content-type": "application/json"}, json.dumps({"errors": [exc.formatted]}).encode()
        errors = validate(self.schema, document) or validate(self.schema, document, [depth_rule(self.max_depth)])
        if errors:
            return 200, {"content-type": "application/json"}, \
                json.dumps({"errors": [e.formatted for e in errors]}).encode()
        result = graphql_sync(self.schema, request["query"], root_value=root_value,
                              variable_values=request.get("variables"))
        out: dict = {"data": result.data}
        if result.errors:
            out["errors"] = [e.formatted for e in result.errors]
        if is_mutation and self.drop_answer_once and not result.errors:
            self.drop_answer_once = False
            return 502, {}, b"Bad Gateway"
        return 200, {"content-type": "application/json"}, json.dumps(out).encode()
