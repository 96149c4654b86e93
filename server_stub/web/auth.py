"""The page's session and its guard against cross-site requests.

A session is a signed cookie (HMAC-SHA256 with a key derived from the platform's secret, so
every server process on the same database accepts it): the organizer token's id, its event, an
expiry and a random nonce; never the token itself. Each request checks that the token is still
not revoked. HttpOnly, SameSite=Strict, and Secure when the page is reached over TLS (directly,
or behind a proxy whose X-Forwarded-Proto the server is told to trust).

Every change (sign-in, sign-out, revoke, a new enrolment code) needs a CSRF token in its form,
bound to the session (or, before sign-in, to a cookie of its own), and a request that says it
comes from another site (Origin, Sec-Fetch-Site) is refused whatever it carries.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

from fastapi import Request, Response

from server_stub.models import OrganizerToken

SESSION_COOKIE = "organizer_session"
PRE_COOKIE = "organizer_form"  # binds the sign-in form's CSRF token before there is a session
LANG_COOKIE = "organizer_lang"
SESSION_S = 12 * 3600


@dataclass(frozen=True)
class PageSession:
    token_id: str
    event_id: str
    nonce: str


class CrossSite(Exception):
    """The request says it comes from another site, or lacks the form's CSRF token."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _key(request: Request) -> bytes:
    secret: bytes = request.app.state.signing_secret
    return hmac.new(secret, b"organizer page session", hashlib.sha256).digest()


def _sign(key: bytes, payload: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, payload, hashlib.sha256).digest()).decode()


def start(request: Request, response: Response, token_id: str, event_id: str) -> None:
    body = {"t": token_id, "e": event_id, "x": int(time.time()) + SESSION_S,
            "n": secrets.token_urlsafe(16)}  # fmt: skip
    payload = base64.urlsafe_b64encode(json.dumps(body).encode()).decode()
    value = f"{payload}.{_sign(_key(request), payload.encode())}"
    set_cookie(request, response, SESSION_COOKIE, value, SESSION_S)
    set_cookie(request, response, PRE_COOKIE, "", 0)


def end(request: Request, response: Response) -> None:
    set_cookie(request, response, SESSION_COOKIE, "", 0)


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    """Every cookie of the page: HttpOnly, SameSite=Strict, Secure over TLS (0 s: deleted)."""
    response.set_cookie(name, value, max_age=max_age, path="/", secure=over_tls(request),
                        httponly=True, samesite="strict")  # fmt: skip


def over_tls(request: Request) -> bool:
    if request.url.scheme == "https":
        return True
    trusted: bool = request.app.state.settings.trust_forwarded_proto
    return trusted and request.headers.get("x-forwarded-proto", "").lower() == "https"


def current(request: Request) -> PageSession | None:
    """The signed-in organizer, or None (no cookie, a forged or expired one, a revoked token)."""
    value = request.cookies.get(SESSION_COOKIE, "")
    payload, _, signature = value.partition(".")
    if not payload or not _same(signature, _sign(_key(request), payload.encode())):
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(payload))
        session = PageSession(str(body["t"]), str(body["e"]), str(body["n"]))
        expires = int(body["x"])
    except (ValueError, KeyError, TypeError):
        return None
    if expires < time.time():
        return None
    with request.app.state.db.reading() as db_session:
        token = db_session.get(OrganizerToken, session.token_id)
        if token is None or token.revoked_at is not None or token.event_id != session.event_id:
            return None
    return session


def csrf_token(request: Request, session: PageSession | None, anchor: str | None = None) -> str:
    """The form token: bound to the session's nonce, or before sign-in to the form cookie
    (`anchor`: its value when the cookie is being set by this very answer)."""
    bound = session.nonce if session else anchor or request.cookies.get(PRE_COOKIE, "")
    return _sign(_key(request), b"csrf|" + bound.encode())


def form_anchor(request: Request, response: Response) -> str:
    """The sign-in form's own cookie (set on `response` when missing): its token binds to it."""
    value = request.cookies.get(PRE_COOKIE)
    if not value:
        value = secrets.token_urlsafe(16)
        set_cookie(request, response, PRE_COOKIE, value, 3600)
    return value


def check_change(request: Request, session: PageSession | None, sent: str | None) -> None:
    """A change may go on: same-site by every header the browser sends, and the form's token."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise CrossSite("cross-site")
    origin = request.headers.get("origin")
    if origin is not None and origin != own_origin(request):
        raise CrossSite("cross-site")
    anchor_missing = session is None and not request.cookies.get(PRE_COOKIE)
    expected = csrf_token(request, session)
    if anchor_missing or not sent or not _same(sent, expected):
        raise CrossSite("csrf")


def _same(sent: str, expected: str) -> bool:
    """Constant time, and any text may be sent (compare_digest refuses non-ASCII str)."""
    return hmac.compare_digest(sent.encode("utf-8", "replace"), expected.encode())


def own_origin(request: Request) -> str:
    scheme = "https" if over_tls(request) else request.url.scheme
    host = request.headers.get("host") or request.url.netloc
    return f"{scheme}://{host}"
