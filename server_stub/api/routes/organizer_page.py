"""The organizers' page: sign-in and out, the live view and its stream, downloads.

HTML for people (docs/organizer.md); the session is a cookie (server_stub/web/auth.py), never
a token in a URL. Every route is in the OpenAPI document, so the schemathesis run reaches them.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as FastApiPath
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from scanner.reports.model import Options
from scanner.reports.writers import FORMATS, KINDS, MEDIA_TYPES, ReportRequestError, check_request
from server_stub.api.errors import ApiError, responses
from server_stub.api.ratelimit import RateLimiter, client_address
from server_stub.api.routes.report_files import report_response
from server_stub.models import Event
from server_stub.services.devices import DeviceRevoked, authenticate
from server_stub.web import auth
from server_stub.web.forms import form_body, read_form
from server_stub.web.layout import BASE, csrf_field, e, page, say
from server_stub.web.live import fragment, live_report
from server_stub.web.live_signal import wait_for_change
from server_stub.web.words import LANGUAGES, choose, word

router = APIRouter(prefix=BASE, tags=["organizer page"])
STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
ASSET_TYPES = {"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
_WHY = {
    200: "the page",
    303: "done: on to the next page",
    401: "not signed in, or a wrong token (the sign-in form)",
    403: "another site's request, or a form without its CSRF token",
    404: "no such device",
    406: "a report format that does not exist",
    422: "no such report, or a door name that is not valid",
    429: "too many failed sign-ins from this address",
}


def page_answers(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The page's answers for the OpenAPI document: HTML, each with what it means; a request
    FastAPI cannot validate gets the API's JSON refusal (400, 422) unless `codes` say HTML."""
    html_body = {"text/html": {"schema": {"type": "string"}}}
    page: dict[int | str, dict[str, Any]] = {
        code: {"description": _WHY[code], "content": html_body} for code in (200, *codes)
    }
    return {**responses(), **page}


HTML = page_answers(401)


def _report_files() -> list[str]:
    """Every report file there is, as `part.format`: the page's download paths."""
    files = []
    for kind in KINDS:
        for fmt in FORMATS:
            try:
                check_request(fmt, kind)
            except ReportRequestError:
                continue
            files.append(f"{kind}.{fmt}")
    return files


REPORT_FILE = "^(" + "|".join(re.escape(name) for name in _report_files()) + ")$"
REPORT_MEDIA = tuple(MEDIA_TYPES.values())


def language(request: Request) -> str:
    asked = request.query_params.get("lang")
    return choose(asked if asked in LANGUAGES else request.cookies.get(auth.LANG_COOKIE),
                  request.headers.get("accept-language"))  # fmt: skip


def html(request: Request, body: str, status: int = 200) -> HTMLResponse:
    response = HTMLResponse(body, status, headers=SECURITY_HEADERS)
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:  # the switch: remembered for the next pages
        auth.set_cookie(request, response, auth.LANG_COOKIE, asked, 365 * 86400)
    return response


def event_name(request: Request, event_id: str) -> str:
    with request.app.state.db.reading() as session:
        event = session.get(Event, event_id)
        return event.name if event is not None else event_id


def signed_page(request: Request, session: auth.PageSession, nav: str, title: str, body: str,
                status: int = 200, name: str | None = None) -> HTMLResponse:  # fmt: skip
    """A page for the signed-in organizer: the navigation, the event's name (looked up unless
    given) and the form token its buttons send."""
    csrf = auth.csrf_token(request, session)
    name = event_name(request, session.event_id) if name is None else name
    lang = language(request)
    return html(request, page(lang, title, body, nav=nav, csrf=csrf, event_name=name), status)


def sign_in_page(request: Request, message: str = "", status: int = 200) -> HTMLResponse:
    lang = language(request)
    w = say(lang)
    note = f'<p class="error" role="alert">{w(message)}</p>' if message else ""
    hint = "The token scanner-server printed for your event (create-event or organizer-token)."
    cookies = Response()  # the form's cookie, when this answer has to set it
    token = auth.csrf_token(request, None, auth.form_anchor(request, cookies))
    body = (
        f'<section class="narrow"><h2>{w("Sign in")}</h2>{note}'
        f'<form method="post" action="{BASE}/sign-in">{csrf_field(token)}'
        f'<label for="token">{w("Organizer token")}</label>'
        '<input id="token" name="token" type="password" autocomplete="current-password" required>'
        f'<p class="hint">{w(hint)}</p>'
        f'<button type="submit" id="sign-in">{w("Sign in")}</button></form></section>'
    )
    response = html(request, page(lang, word(lang, "Sign in"), body), status)
    response.raw_headers += [h for h in cookies.raw_headers if h[0] == b"set-cookie"]
    return response


def refused(request: Request, why: auth.CrossSite) -> HTMLResponse:
    message = (
        "Requests from other sites are refused."
        if why.why == "cross-site"
        else "This form expired; please try again."
    )
    return sign_in_page(request, message, 403)


async def signed_change(request: Request) -> tuple[auth.PageSession, dict[str, str]] | Response:
    """A change's signed-in session and form, or the page that refuses it: the sign-in page
    (401) when nobody is signed in, 403 for another site or a missing form token."""
    session = await run_in_threadpool(auth.current, request)
    if session is None:
        return await run_in_threadpool(sign_in_page, request, "Please sign in.", 401)
    form = await read_form(request)
    try:
        auth.check_change(request, session, form.get("csrf"))
    except auth.CrossSite as why:
        return refused(request, why)
    return session, form


@router.get("", responses=HTML)
def live_page(request: Request) -> Response:
    """The live view when signed in, else the sign-in form."""
    session = auth.current(request)
    if session is None:
        return sign_in_page(request)
    lang = language(request)
    _version, report = live_report(request.app.state.db, session.event_id)
    body = (
        f'<div id="live" data-fragment="{BASE}/live" data-stream="{BASE}/stream">'
        f"{fragment(report, lang)}</div>"
        f'<p class="hint"><span id="live-note">{e(word(lang, "Updates by itself."))}</span> '
        f'<a href="{BASE}">{e(word(lang, "Reload"))}</a></p>'
        '<noscript><meta http-equiv="refresh" content="30"></noscript>'
    )
    return signed_page(request, session, "live", word(lang, "Live"), body, name=report.event.name)


@router.post(
    "/sign-in",
    responses=page_answers(303, 401, 403, 429),
    openapi_extra=form_body("token", "csrf", required=("token",)),
)
async def sign_in(request: Request) -> Response:
    """The organizer token, once, for a session cookie; failed attempts are rate-limited."""
    limiter: RateLimiter = request.app.state.limiters["sign_in"]
    address = client_address(request)
    form = await read_form(request)
    try:
        auth.check_change(request, None, form.get("csrf"))
    except auth.CrossSite as why:
        return refused(request, why)
    if limiter.wait(address) is not None:
        return sign_in_page(request, "Too many attempts; try again in a minute.", 429)
    principal = await run_in_threadpool(_organizer, request, form.get("token", "").strip())
    if principal is None:
        limiter.take(address)
        return sign_in_page(request, "That token is unknown or revoked.", 401)
    response = RedirectResponse(BASE, 303, headers=SECURITY_HEADERS)
    auth.start(request, response, principal[0], principal[1])
    return response


def _organizer(request: Request, token: str) -> tuple[str, str] | None:
    if not token or len(token) > 200:
        return None
    with request.app.state.db.reading() as session:
        try:
            principal = authenticate(session, token)
        except DeviceRevoked:  # a revoked device's token: no organizer either
            return None
    if principal is None or principal.kind != "organizer":
        return None
    return principal.id, principal.event_id


@router.post(
    "/sign-out",
    responses=page_answers(303, 403),
    openapi_extra=form_body("csrf"),
)
async def sign_out(request: Request) -> Response:
    session = await run_in_threadpool(auth.current, request)
    form = await read_form(request)
    try:
        auth.check_change(request, session, form.get("csrf"))
    except auth.CrossSite as why:
        return refused(request, why)
    response = RedirectResponse(BASE, 303, headers=SECURITY_HEADERS)
    auth.end(request, response)
    return response


def _unsigned(request: Request) -> HTMLResponse:
    return HTMLResponse(
        e(word(language(request), "Please sign in.")), 401, headers=SECURITY_HEADERS
    )


@router.get("/live", responses=HTML)
def live_fragment(request: Request) -> Response:
    """The live view's contents, swapped in by the page when the stream says something changed."""
    session = auth.current(request)
    if session is None:
        return _unsigned(request)
    _version, report = live_report(request.app.state.db, session.event_id)
    return HTMLResponse(fragment(report, language(request)), headers=SECURITY_HEADERS)


@router.get(
    "/stream",
    responses={
        **page_answers(401),
        200: {"content": {"text/event-stream": {}}},  # `change` events, data: a version
    },
)
async def stream(
    request: Request,
    wait: Annotated[int, Query(ge=0, le=25, description="seconds before the stream ends")] = 25,
) -> Response:
    """Server-sent events: `change` at once, then whenever the event changes; the browser
    reconnects after `wait` seconds (retry: 500 ms)."""
    session = await run_in_threadpool(auth.current, request)
    if session is None:
        return _unsigned(request)
    db, event_id = request.app.state.db, session.event_id
    signal = request.app.state.change_signal
    loop = asyncio.get_running_loop()
    end = loop.time() + wait

    async def events() -> AsyncIterator[str]:
        version = -1
        while True:
            left = end - loop.time()
            changed = await wait_for_change(db, signal, event_id, version, max(0.0, left))
            if changed != version:
                version = changed
                yield f"retry: 500\nevent: change\ndata: {version}\n\n"
            if loop.time() >= end or await request.is_disconnected():
                return

    headers = {**SECURITY_HEADERS, "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


@router.get("/downloads", responses=HTML)
def downloads(request: Request) -> Response:
    session = auth.current(request)
    if session is None:
        return sign_in_page(request)
    lang = language(request)
    w = say(lang)
    links = (
        ("scan-log.csv", "Scan log (CSV)"),
        ("no-shows.csv", "No-show list (CSV)"),
        ("full.xlsx", "Full report (XLSX)"),
        ("full.pdf", "Report with charts (PDF)"),
    )
    items = "".join(
        f'<li><a href="{BASE}/reports/{path}" download id="dl-{path.replace(".", "-")}">'
        f'{w(label)}</a> · <a href="{BASE}/reports/{path}?emails=true" download>'
        f"{w('with e-mail addresses')}</a></li>"
        for path, label in links
    )
    body = (
        f'<section><h2>{w("Reports")}</h2><p class="hint">{w("download_hint")}</p>'
        f'<ul class="downloads">{items}</ul></section>'
    )
    return signed_page(request, session, "downloads", word(lang, "Downloads"), body)


@router.get(
    "/reports/{kind}",
    responses={
        **page_answers(401),
        200: {
            "content": {
                m.split(";")[0]: {"schema": {"type": "string"}} for m in MEDIA_TYPES.values()
            }
        },
    },
)
async def report_download(
    request: Request,
    kind: Annotated[str, FastApiPath(pattern=REPORT_FILE, description="e.g. scan-log.csv")],
    emails: Annotated[bool, Query(description="include e-mail addresses")] = False,
) -> Response:
    """A report file (as `/api/v1/events/{id}/reports/{kind}`), for the signed-in organizer."""
    session = await run_in_threadpool(auth.current, request)
    if session is None:
        return _unsigned(request)
    try:
        return await report_response(
            request.app.state.db, session.event_id, kind, None, Options(emails=emails), ","
        )
    except ApiError as exc:  # a kind that is no report: say so, as the API does
        return HTMLResponse(e(exc.detail), exc.status, headers=SECURITY_HEADERS)


@router.get(
    "/assets/{name}",
    responses={
        200: {"content": {media.split(";")[0]: {} for media in ASSET_TYPES.values()}},
        404: {"description": "no such file", "content": {"text/plain": {}}},
    },
)
def asset(name: str) -> Response:
    """The page's own script and styles: nothing is loaded from anywhere else."""
    media = ASSET_TYPES.get(name)
    if media is None:
        return Response("not found", 404, media_type="text/plain")
    headers = {"Cache-Control": "max-age=300", "X-Content-Type-Options": "nosniff"}
    return Response((STATIC / name).read_bytes(), media_type=media, headers=headers)
