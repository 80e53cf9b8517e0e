"""The staff web app's routes: sign-in, overview, browse, one item, moderation, terminals, export.

Server-rendered with Jinja2 (autoescaping on: visitors typed much of what is shown), a little
plain JavaScript (the drawing's replay, "select all"), every asset served from
``sync/receiver/web/static`` by the receiver itself: it works on a closed network. Every page
sends a strict Content-Security-Policy (scripts and styles from the receiver only; the city's
colours come as a stylesheet, ``/staff/static/brand.css``).

Visitors' words are shown inside ``<bdi dir="auto">`` after :func:`kiosk.core.bidi.balance`, so a
right-to-left idea or stray direction controls never reorder the page around them.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

import kiosk
from kiosk.core.bidi import balance
from kiosk.core.config.sections import BrandingConfig
from kiosk.core.export import ExportError, Titles
from sync.receiver.login_limiter import LoginLimiter, Refused
from sync.receiver.moderation import REASONS, STATES, Moderation, ModerationError
from sync.receiver.bundle_export import BundleSourceError, TempFileResponse
from sync.receiver.storage import ReceiverStore
from sync.receiver.web import queries
from sync.receiver.web.accounts import Account, Accounts, pack
from sync.receiver.web.rows import RowLabels, rows_html
from sync.receiver.web.sessions import COOKIE, LOGIN_COOKIE, Session, Sessions, csrf_ok
from sync.receiver.web.text import DEFAULT_LANG, LANGS, WebText

log = logging.getLogger("sync.receiver.web")

HERE = Path(__file__).parent
STATIC = {p.name: p for p in (HERE / "static").iterdir() if p.is_file()}
MEDIA = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
LANG_COOKIE = "receiver_lang"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "same-origin", "Cache-Control": "no-store", "X-Frame-Options": "DENY"}
QUIET_AFTER_S = 30 * 60
"""A terminal not heard from for this long is marked quiet."""
SKEW_LIMIT_S = 120
"""A terminal whose clock is further off than this is marked."""


@dataclass
class Web:
    """What the pages work with (built once in :func:`add_web_routes`)."""

    store: ReceiverStore
    moderation: Moderation
    accounts: Accounts
    sessions: Sessions
    limiter: LoginLimiter
    text: WebText
    titles: Titles
    branding: BrandingConfig
    name: str
    tmp_dir: Path
    run: Callable[..., Any]
    read: Callable[..., Any] | None = None
    """Where a page's session check and reads run (one thread of their own); else ``run``."""
    drawing_topic: str = "drawing"
    """The field of action the kiosk files drawings under (``[flows] drawing_topic``)."""


class Redirect(Exception):
    def __init__(self, url: str) -> None:
        self.url = url


def visitor(text: Any) -> Markup:
    """A visitor's words: balanced direction controls, isolated from the page around them."""
    if text is None or text == "":
        return Markup("")
    return Markup('<bdi dir="auto">') + escape(balance(str(text))) + Markup("</bdi>")


def lang_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "")
    return lang if lang in LANGS else DEFAULT_LANG


def safe_next(target: str | None) -> str:
    """Only a path of this app: never another site (``//evil``) after sign-in."""
    if target and target.startswith("/staff/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/staff/overview"


def brand_css(b: BrandingConfig) -> str:
    return (f":root{{--brand:{b.primary_color};--accent:{b.accent_color};"
            f"--paper:{b.background_color};--ink:{b.text_color};}}\n")


_PLAIN_TEXT = re.compile(r"""\{\{ t\((["'])([a-z_]+(?:\.[a-z_]+)*)\1\) \}\}""")


class LangLoader(FileSystemLoader):
    """The templates of one language: each ``{{ t("key") }}`` without placeholders is its text,
    escaped, written into the template before it is compiled (a page has some 30; the output is
    what the call gave). A text that could read as template syntax keeps its call."""

    def __init__(self, text: WebText | None, lang: str) -> None:
        super().__init__(HERE / "templates")
        self.text, self.lang = text, lang

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)
        if self.text is None:
            return source, filename, uptodate

        def fill(m: re.Match[str]) -> str:
            value = str(escape(self.text.t(self.lang, m.group(2))))  # type: ignore[union-attr]
            return m.group(0) if any(c in value for c in "{}%#") else value

        return _PLAIN_TEXT.sub(fill, source), filename, uptodate


def make_env(web: Web | None, lang: str = DEFAULT_LANG) -> Environment:
    # auto_reload off: the templates do not change while the receiver runs (not a stat of each per page)
    env = Environment(loader=LangLoader(web.text if web else None, lang), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters["visitor"] = visitor
    env.globals.update(STATES=STATES, REASONS=REASONS, KINDS=queries.KINDS, version=kiosk.__version__,
                       cursor_text=queries.cursor_text, day=queries.day_text)
    return env


def add_web_routes(app: FastAPI, web: Web) -> None:  # noqa: C901 - one route table, read top to bottom
    envs = {lang: make_env(web, lang) for lang in LANGS}
    brand = brand_css(web.branding).encode()
    text = web.text
    row_labels = {lang: RowLabels(text, lang) for lang in LANGS}

    @functools.lru_cache(maxsize=4096)
    def topic_title(tid: str, lang: str) -> str:
        """The event's title of a field of action (the titles do not change while the receiver runs)."""
        return (web.titles.topic(tid, lang) or web.titles.topic(tid, "de")
                or (text.t(lang, "kind.drawing") if tid == web.drawing_topic else tid))

    # The forms every browse page repeats, rendered once: the moderation form per language, the
    # filter form per language, filters and menu choices (the choices change at most every
    # CHOICES_TTL_S; a new tuple of them is a new key).
    @functools.lru_cache(maxsize=len(LANGS))
    def decide_html(lang: str) -> Markup:
        return Markup(envs[lang].get_template("_decide.html").render(t=text.of(lang)))

    @functools.lru_cache(maxsize=256)
    def filters_html(lang: str, action: str, f: queries.Filters, choices: queries.Choices) -> Markup:
        return Markup(envs[lang].get_template("_filters.html").render(
            t=text.of(lang), topic_title=lambda tid: topic_title(tid, lang), f=f, choices=choices, action=action))

    def page(request: Request, template: str, session: Session | None, account: Account | None,
             status: int = 200, **ctx: Any) -> HTMLResponse:
        lang = lang_of(request)
        other = "en" if lang == "de" else "de"
        path = request.scope["path"]
        query = request.scope.get("query_string", b"").decode("latin-1")
        here = path + (f"?{query}" if query else "")
        html = envs[lang].get_template(template).render(
            lang=lang, other_lang=other, here=here, decide_form=lambda: decide_html(lang),
            filters_form=lambda action: filters_html(lang, action, ctx["f"], ctx["choices"]),
            t=text.of(lang), num=functools.partial(text.number, lang),
            when=text.when_of_page(lang), size=functools.partial(text.bytes, lang),
            zone=text.zone_name(), session=session, account=account, csrf=session.csrf if session else "",
            topic_title=lambda tid: topic_title(tid, lang),
            path=path, **ctx)
        t0 = request.scope.get("receiver.t0")
        headers = SECURITY_HEADERS if t0 is None else {
            **SECURITY_HEADERS, "Server-Timing": f"app;dur={(time.perf_counter() - t0) * 1000:.2f}"}
        return HTMLResponse(html, status_code=status, headers=headers)

    async def signed_in(request: Request, *, admin: bool = False,
                        then: Callable[[], Any] | None = None) -> tuple[Session, Account, Any]:
        """The session and account of a signed-in request (else a redirect to the sign-in page), and
        what *then* reads for the page: in the same trip to the store's thread, only once the
        session is known (a page costs one hop off the event loop, not one per read)."""
        token = request.cookies.get(COOKIE)

        def work() -> tuple[Session | None, Account | None, Any]:
            session = web.sessions.get(token)
            account = web.accounts.get(session.account) if session else None
            if session is None or account is None or (admin and not account.is_admin) or then is None:
                return session, account, None
            return session, account, then()

        session, account, out = await (web.read or web.run)(work)
        if session is None or account is None:
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise Redirect("/staff/login?" + urlencode({"next": here}))
        if admin and not account.is_admin:
            raise Redirect("/staff/overview")
        return session, account, out

    async def changing(request: Request) -> tuple[Session, Account, Any]:
        """A signed-in POST with its form, its CSRF token checked (403 otherwise)."""
        session = await web.run(web.sessions.get, request.cookies.get(COOKIE))
        account = web.accounts.get(session.account) if session else None
        form = await request.form(max_files=0, max_fields=queries.PAGE_SIZE * 2 + 20)
        if session is None or account is None or not csrf_ok(session, form.get("csrf")):
            raise _Forbidden()
        return session, account, form

    class _Forbidden(Exception):
        pass

    @app.exception_handler(Redirect)
    async def _redirect(request: Request, exc: Redirect) -> Response:
        return RedirectResponse(exc.url, status_code=303, headers={"Cache-Control": "no-store"})

    @app.exception_handler(_Forbidden)
    async def _forbidden(request: Request, exc: _Forbidden) -> Response:
        lang = lang_of(request)
        return HTMLResponse(f"<!doctype html><html lang={lang}><title>403</title><p>{escape(text.t(lang, 'error.csrf'))}"
                            f' <a href="/staff/overview">{escape(text.t(lang, "nav.overview"))}</a>',
                            status_code=403, headers=SECURITY_HEADERS)

    def set_cookie(response: Response, name: str, value: str, *, max_age: int | None = None,
                   http_only: bool = True) -> None:
        response.set_cookie(name, value, max_age=max_age, path="/staff", secure=web.sessions.settings.secure_cookie,
                            httponly=http_only, samesite="strict")

    # ---------------------------------------------------------------- static

    @app.get("/staff/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        if name == "brand.css":
            return Response(brand, media_type="text/css; charset=utf-8", headers={"Cache-Control": "no-cache"})
        path = STATIC.get(name)
        if path is None:
            return Response(status_code=404)
        return FileResponse(path, media_type=MEDIA.get(path.suffix, "application/octet-stream"),
                            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})

    # ---------------------------------------------------------------- sign-in

    def login_page(request: Request, message: str = "", status: int = 200, name: str = "",
                   retry_after: int | None = None) -> HTMLResponse:
        token = request.cookies.get(LOGIN_COOKIE) or tempfile_token()
        response = page(request, "login.html", None, None, status=status, message=message, login_csrf=token,
                        next=safe_next(request.query_params.get("next")), name=name)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        set_cookie(response, LOGIN_COOKIE, token, max_age=3600)
        return response

    @app.get("/staff/login", include_in_schema=False)
    async def login_form(request: Request) -> Response:
        return login_page(request)

    @app.post("/staff/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        lang = lang_of(request)
        form = await request.form(max_files=0, max_fields=10)
        name = str(form.get("name") or "").strip().lower()[:40]
        password = str(form.get("password") or "")[:1024]
        cookie_token = request.cookies.get(LOGIN_COOKIE)
        if not cookie_token or not csrf_ok(Session("", cookie_token, 0), form.get("csrf")):
            return login_page(request, text.t(lang, "login.expired"), 400, name)
        if not name or not password:
            return login_page(request, text.t(lang, "login.wrong"), 401, name)
        client = request.client.host if request.client else "unknown"
        try:
            ok = await web.limiter.check(client, pack(name, password))
        except Refused as exc:
            key = "login.locked" if exc.status == 429 else "login.busy"
            return login_page(request, text.t(lang, key, s=text.number(lang, exc.retry_after)), exc.status, name,
                              retry_after=exc.retry_after)
        if not ok:
            return login_page(request, text.t(lang, "login.wrong"), 401, name)
        token, _session = await web.run(web.sessions.start, name)
        log.info("staff %s signed in from %s", name, client)
        response = RedirectResponse(safe_next(str(form.get("next") or "")), status_code=303)
        set_cookie(response, COOKIE, token)
        response.delete_cookie(LOGIN_COOKIE, path="/staff")
        return response

    @app.post("/staff/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        session, account, _form = await changing(request)
        await web.run(web.sessions.end, request.cookies.get(COOKIE))
        log.info("staff %s signed out", account.name)
        response = RedirectResponse("/staff/login", status_code=303)
        response.delete_cookie(COOKIE, path="/staff")
        return response

    @app.get("/staff/lang/{lang}", include_in_schema=False)
    async def switch_lang(lang: str, request: Request) -> Response:
        response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        if lang in LANGS:
            set_cookie(response, LANG_COOKIE, lang, max_age=365 * 86400)
        return response

    # ---------------------------------------------------------------- overview

    @app.get("/staff/overview", include_in_schema=False)
    async def overview(request: Request) -> Response:
        f = queries.parse_filters(request.query_params)
        session, account, (counts, choices) = await signed_in(request, then=lambda: (
            queries.overview(web.store, f, text.tz), queries.choices(web.store)))
        total = sum(n for _, n in counts["kind"])
        return page(request, "overview.html", session, account, counts=counts, total=total, f=f, choices=choices,
                    query=urlencode(f.params()))

    # ---------------------------------------------------------------- browse

    @app.get("/staff/items", include_in_schema=False)
    async def browse(request: Request) -> Response:
        f = queries.parse_filters(request.query_params)
        after = queries.parse_cursor(request.query_params.get("after"))
        before = None if after else queries.parse_cursor(request.query_params.get("before"))
        session, account, (result, choices) = await signed_in(request, then=lambda: (
            queries.browse(web.store, f, text.tz, after=after, before=before), queries.choices(web.store)))
        notice = request.query_params.get("done", "")
        lang = lang_of(request)
        rows = rows_html(result.rows, row_labels.get(lang) or row_labels[DEFAULT_LANG],
                         text.when_of_page(lang), lambda tid: topic_title(tid, lang))
        return page(request, "browse.html", session, account, f=f, result=result, choices=choices, rows=rows,
                    query=urlencode(f.params()), params=f.params(), notice=notice if notice.isdigit() else "",
                    state_notice=request.query_params.get("decided") if notice else "")

    @app.post("/staff/decide", include_in_schema=False)
    async def decide_bulk(request: Request) -> Response:
        session, account, form = await changing(request)
        # One name per checkbox (pick-<id>): a group of same-named checkboxes would need a
        # fieldset around the table's rows, which a table cannot have.
        ids = [key[5:] for key in form.keys() if key.startswith("pick-")]
        back = safe_next(str(form.get("back") or "/staff/items"))
        lang = lang_of(request)
        error = _decision_problem(form, lang)
        if error is None and not ids:
            error = text.t(lang, "moderate.none_selected")
        if error is None:
            try:
                done = await web.run(functools.partial(
                    web.moderation.decide, ids, str(form.get("state")), actor=account.name,
                    reason=str(form.get("reason") or "") or None, note=str(form.get("note") or "") or None))
            except ModerationError as exc:
                error = str(exc)
        if error is not None:
            return page(request, "problem.html", session, account, status=422, message=error, back=back)
        sep = "&" if "?" in back else "?"
        raise Redirect(f"{back}{sep}done={len(done)}&decided={form.get('state')}")

    def _decision_problem(form: Any, lang: str) -> str | None:
        state = str(form.get("state") or "")
        if state not in STATES:
            return text.t(lang, "moderate.choose_state")
        if state in ("withheld", "deleted") and str(form.get("reason") or "") not in REASONS:
            return text.t(lang, "moderate.needs_reason")
        if state == "deleted" and form.get("confirm") != "yes":
            return text.t(lang, "moderate.confirm_delete")
        return None

    # ---------------------------------------------------------------- one item

    @app.get("/staff/items/{submission_id}", include_in_schema=False)
    async def one_item(submission_id: str, request: Request) -> Response:
        session, account, (it, history, edits) = await signed_in(request, then=lambda: (
            queries.item(web.store, submission_id), web.moderation.history(submission_id),
            web.store.outbox_edits(submission_id)))
        if it is None:
            return page(request, "problem.html", session, account, status=404,
                        message=text.t(lang_of(request), "item.missing"), back="/staff/items")
        return page(request, "item.html", session, account, it=it, history=list(reversed(history)),
                    edits=list(reversed(edits)), fields=_fields(it.data), error="")

    @app.post("/staff/items/{submission_id}/decide", include_in_schema=False)
    async def decide_one(submission_id: str, request: Request) -> Response:
        session, account, form = await changing(request)
        lang = lang_of(request)
        error = _decision_problem(form, lang)
        if error is None:
            try:
                await web.run(functools.partial(
                    web.moderation.decide, [submission_id], str(form.get("state")), actor=account.name,
                    reason=str(form.get("reason") or "") or None, note=str(form.get("note") or "") or None))
            except ModerationError as exc:
                error = str(exc)
        if error is not None:
            return page(request, "problem.html", session, account, status=422, message=error,
                        back=f"/staff/items/{submission_id}")
        raise Redirect(f"/staff/items/{submission_id}#audit")

    @app.get("/staff/items/{submission_id}/drawing.png", include_in_schema=False)
    async def drawing_png(submission_id: str, request: Request) -> Response:
        *_, data = await signed_in(request, then=lambda: queries.blob_of(web.store, submission_id, "png"))
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600",
                                                               "X-Content-Type-Options": "nosniff"})

    @app.get("/staff/items/{submission_id}/strokes.json", include_in_schema=False)
    async def drawing_strokes(submission_id: str, request: Request) -> Response:
        *_, data = await signed_in(request, then=lambda: queries.blob_of(web.store, submission_id, "strokes"))
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type="application/json", headers={"Cache-Control": "private, max-age=3600",
                                                                      "X-Content-Type-Options": "nosniff"})

    # ---------------------------------------------------------------- terminals

    @app.get("/staff/terminals", include_in_schema=False)
    async def terminals(request: Request) -> Response:
        from sync.receiver.heartbeat import terminal_rows

        session, account, rows = await signed_in(request, then=lambda: terminal_rows(
            web.store, QUIET_AFTER_S, SKEW_LIMIT_S))
        return page(request, "terminals.html", session, account, rows=rows, quiet_min=QUIET_AFTER_S // 60,
                    skew_limit=SKEW_LIMIT_S)

    # ---------------------------------------------------------------- accounts (admin)

    @app.get("/staff/accounts", include_in_schema=False)
    async def accounts_page(request: Request) -> Response:
        session, account, _ = await signed_in(request, admin=True)
        from sync.receiver.auth import TOKENS_FILE, read_token_hashes

        kiosks = sorted(read_token_hashes(web.store.data_dir / TOKENS_FILE))
        return page(request, "accounts.html", session, account, accounts=sorted(web.accounts.all().values(),
                                                                                key=lambda a: a.name),
                    kiosks=kiosks, new_token=None, new_kiosk="", message="")

    @app.post("/staff/accounts/token", include_in_schema=False)
    async def new_token(request: Request) -> Response:
        """An admin makes a terminal's token; it is shown once, on this answer only."""
        from sync.receiver.auth import TOKENS_FILE, add_token, read_token_hashes

        session, account, form = await changing(request)
        if not account.is_admin:
            raise _Forbidden()
        kiosk_id = str(form.get("kiosk_id") or "").strip()
        token, message = None, ""
        try:
            token = await web.run(add_token, web.store.data_dir, kiosk_id)
            log.info("admin %s made a new token for terminal %s", account.name, kiosk_id)
        except ValueError:
            message = text.t(lang_of(request), "accounts.bad_kiosk")
        kiosks = sorted(read_token_hashes(web.store.data_dir / TOKENS_FILE))
        return page(request, "accounts.html", session, account, status=200 if token else 422,
                    accounts=sorted(web.accounts.all().values(), key=lambda a: a.name), kiosks=kiosks,
                    new_token=token, new_kiosk=kiosk_id, message=message)

    # ---------------------------------------------------------------- export

    @app.get("/staff/export/bundle.zip", include_in_schema=False)
    async def export_zip(request: Request) -> Response:
        from sync.receiver.web.export import export_selection

        session, account, _ = await signed_in(request)
        f = queries.parse_filters(request.query_params)
        work = Path(tempfile.mkdtemp(prefix="download-", dir=web.tmp_dir))
        try:
            result = await web.run(export_selection, web.store, f, text.tz, work, web.name, web.titles)
        except BaseException as exc:
            shutil.rmtree(work, ignore_errors=True)
            if isinstance(exc, (ExportError, BundleSourceError)):  # a damaged blob, a full disk: said, not a traceback
                log.error("export of %s failed: %s", f.params(), exc)
                return page(request, "problem.html", session, account, status=500, back="/staff/items",
                            message=text.t(lang_of(request), "export.failed", reason=str(exc)))
            raise
        return TempFileResponse(result.path, remove=work, media_type="application/zip", filename=result.path.name,
                         headers={"Cache-Control": "no-store"})

    @app.get("/staff/export/ideas.csv", include_in_schema=False)
    async def export_csv(request: Request) -> Response:
        from sync.receiver.web.export import selection_csv

        await signed_in(request)
        f = queries.parse_filters(request.query_params)
        data = await web.run(selection_csv, web.store, f, text.tz, web.titles)
        return Response(data, media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="ideas.csv"', "Cache-Control": "no-store"})

    @app.get("/staff", include_in_schema=False)
    @app.get("/staff/", include_in_schema=False)
    async def root() -> Response:
        """The app's start page (also for bookmarks of the old HTTP-Basic page that was at /staff)."""
        return RedirectResponse("/staff/overview", status_code=303)


FIELD_ORDER = ("reference_code", "kind", "topic_id", "goal_id", "title", "text", "author_name", "age_group",
               "district", "lives_here", "locale", "consent_given", "consent_version", "is_sample", "unfinished",
               "created_at", "kiosk_id", "event_id", "app_version", "id")


_NOT_A_FIELD = ("blobs", "schema", "platform_item", "status_token")
"""Not listed as fields: the platform's proposal has its own line (a link); the status token is
the visitor's secret (the key of their status page) and never shown to staff."""


def _fields(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every field of the submission staff may see, in a reading order (any unknown one at the end)."""
    keys = [k for k in FIELD_ORDER if k in data] + sorted(k for k in data if k not in FIELD_ORDER and k not in
                                                           _NOT_A_FIELD)
    return [(k, data[k]) for k in keys]


def tempfile_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)

