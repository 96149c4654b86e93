"""The organizers' page, devices: every door with how it is doing, revoking a lost one (two
clicks: the button, then a confirmation saying what happens at that door), and enrolment codes
shown as QR codes for the door's wizard or hand scanner."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import segno
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from scanner.checkin.ids import id_problem
from scanner.reports.wall_clock import WallClock
from server_stub.api.routes.organizer_page import (
    HTML,
    SECURITY_HEADERS,
    language,
    page_answers,
    sign_in_page,
    signed_change,
    signed_page,
)
from server_stub.models import Device, Event
from server_stub.services.devices import create_enrollment_code, list_devices, revoke_device
from server_stub.web import auth
from server_stub.web.forms import form_body
from server_stub.web.layout import BASE, csrf_field, e, say
from server_stub.web.live import live_report
from server_stub.web.words import word

router = APIRouter(prefix=BASE, tags=["organizer page"])
DeviceId = Annotated[str, Path(max_length=64)]
MAX_HOURS = 30 * 24


def _shell(request: Request, session: auth.PageSession, title: str, body: str,
           status: int = 200) -> HTMLResponse:  # fmt: skip
    return signed_page(request, session, "devices", title, body, status)


@router.get("/devices", responses=HTML)
def devices(request: Request) -> Response:
    session = auth.current(request)
    if session is None:
        return sign_in_page(request)
    lang = language(request)
    w = say(lang)
    _version, report = live_report(request.app.state.db, session.event_id)
    conflicts: Counter[str] = Counter()
    for c in report.conflicts:
        conflicts.update((c.first.device_id, c.second.device_id))
    with request.app.state.db.reading() as db_session:
        listed = list_devices(db_session, session.event_id)
        rows = [_row(d, conflicts[d.id], lang, report.local) for d in listed]
    csrf = auth.csrf_token(request, session)
    form = (
        f"<section><h2>{w('New enrolment code')}</h2>"
        f'<form method="post" action="{BASE}/enrolment-codes">{csrf_field(csrf)}'
        f'<label for="door">{w("Door")}</label>'
        '<input id="door" name="door" required maxlength="64">'
        f'<label for="list">{w("Check-in list (optional)")}</label>'
        '<input id="list" name="list" maxlength="64">'
        f'<label for="hours">{w("Valid for hours")}</label>'
        f'<input id="hours" name="hours" type="number" min="1" max="{MAX_HOURS}" value="24">'
        f'<button type="submit" id="make-code">{w("Make a code")}</button></form></section>'
    )
    listing = _device_table(rows, lang) if rows else f'<p class="empty">{w("None.")}</p>'
    body = f"<section><h2>{w('Devices')}</h2>{listing}</section>{form}"
    return _shell(request, session, word(lang, "Devices"), body)


def _row(device: Device, conflicts: int, lang: str, local: WallClock) -> list[str]:
    seen = max((t for t in (device.last_seen_at, device.cursor_at) if t), default=None)
    offset = device.clock_offset_s
    return [
        device.id, device.door, device.name or "",
        f"{local(seen):%Y-%m-%d %H:%M:%S}" if seen else word(lang, "never"),
        device.app_version or "", "" if device.waiting is None else str(device.waiting),
        "" if offset is None else f"{offset:+.0f} s", str(conflicts),
        word(lang, "revoked") if device.revoked_at else "",
    ]  # fmt: skip


COLUMNS = ("Door", "Name", "Last seen", "Version", "Entries waiting", "Clock offset", "Conflicts")


def _device_table(rows: list[list[str]], lang: str) -> str:
    w = say(lang)
    head = "".join(f"<th>{w(h)}</th>" for h in COLUMNS) + "<th></th>"
    body = ""
    for device_id, *cells, status in rows:
        action = (
            f'<span class="revoked">{e(status)}</span>' if status else
            f'<a class="button danger" href="{BASE}/devices/{e(device_id)}/revoke" '
            f'id="revoke-{e(device_id)}">{w("Revoke")}</a>'
        )  # fmt: skip
        tds = "".join(  # data-label: a phone shows each device as a card of labelled lines
            f'<td data-label="{w(title)}"{" class=num" if i >= 4 else ""}>{e(c)}</td>'
            for i, (title, c) in enumerate(zip(COLUMNS, cells, strict=True))
        )
        body += f'<tr id="device-{e(device_id)}">{tds}<td>{action}</td></tr>'
    return (
        f'<div class="scroll"><table id="devices"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _device(request: Request, session: auth.PageSession, device_id: str) -> Device | None:
    with request.app.state.db.reading() as db_session:
        device: Device | None = db_session.get(Device, device_id)
        if device is None or device.event_id != session.event_id:
            return None
        db_session.expunge(device)
    return device


@router.get("/devices/{device_id}/revoke", responses=page_answers(401, 404))
def confirm_revoke(request: Request, device_id: DeviceId) -> Response:
    """The second click: what happens at that door, and the button that does it."""
    session = auth.current(request)
    if session is None:
        return sign_in_page(request)
    lang = language(request)
    w = say(lang)
    device = _device(request, session, device_id)
    if device is None:
        return _shell(
            request,
            session,
            word(lang, "Devices"),
            f'<p class="error">{w("No such device.")}</p>',
            404,
        )
    warning = word(lang, "revoke_warning", door=device.door, name=device.name or device.id)
    body = (
        f'<section class="narrow confirm"><h2>{w("Revoke this device?")}</h2>'
        f'<p id="revoke-warning">{e(warning)}</p>'
        f'<form method="post" action="{BASE}/devices/{e(device.id)}/revoke">'
        f"{csrf_field(auth.csrf_token(request, session))}"
        '<button type="submit" class="danger" id="confirm-revoke">'
        f"{w('Yes, revoke it')}</button> "
        f'<a href="{BASE}/devices">{w("Cancel")}</a></form></section>'
    )
    return _shell(request, session, word(lang, "Revoke"), body)


@router.post(
    "/devices/{device_id}/revoke",
    responses=page_answers(303, 401, 403, 404),
    openapi_extra=form_body("csrf", required=("csrf",)),
)
async def revoke(request: Request, device_id: DeviceId) -> Response:
    signed = await signed_change(request)
    if isinstance(signed, Response):
        return signed
    session, _form = signed
    done = await run_in_threadpool(_revoke, request, session.event_id, device_id)
    if not done:
        return HTMLResponse(
            e(word(language(request), "No such device.")), 404, headers=SECURITY_HEADERS
        )
    return RedirectResponse(f"{BASE}/devices", 303, headers=SECURITY_HEADERS)


def _revoke(request: Request, event_id: str, device_id: str) -> bool:
    with request.app.state.db.writing() as db_session:
        return revoke_device(db_session, event_id, device_id)


@router.post(
    "/enrolment-codes",
    responses=page_answers(401, 403, 422),
    openapi_extra=form_body("csrf", "door", "list", "hours", required=("door",)),
)
async def enrolment_code(request: Request) -> Response:
    """A one-time enrolment code for a door, shown as text and as a QR code."""
    signed = await signed_change(request)
    if isinstance(signed, Response):
        return signed
    session, form = signed
    return await run_in_threadpool(_make_code, request, session, form)


def _make_code(request: Request, session: auth.PageSession, form: dict[str, str]) -> Response:
    lang = language(request)
    w = say(lang)
    door, checkin_list = form.get("door", ""), form.get("list", "").strip() or None
    hours = form.get("hours", "24")
    ttl = 86400
    if hours.isascii() and hours.isdigit():
        ttl = min(max(int(hours), 1), MAX_HOURS) * 3600
    problem = w("The door name is missing or not valid.") if id_problem(door) else None
    code = expires = None
    if problem is None:
        with request.app.state.db.writing() as db_session:
            event = db_session.get(Event, session.event_id)
            assert event is not None
            try:
                code, expires = create_enrollment_code(db_session, event, door, checkin_list, ttl)
            except ValueError as exc:
                problem = e(exc)
    if problem is not None or code is None or expires is None:
        note = f'<p class="error" role="alert">{problem}</p>'
        return _shell(request, session, word(lang, "Devices"), note, 422)
    qr = segno.make(code, error="m").svg_inline(scale=6, dark="#000", light="#fff")
    _version, report = live_report(request.app.state.db, session.event_id)
    until = f"{report.local(expires):%Y-%m-%d %H:%M} ({report.event.timezone})"
    body = (
        f'<section class="narrow"><h2>{w("Enrolment code")}: {e(door)}</h2>'
        f'<div class="qr">{qr}</div><p class="code" id="enrolment-code">{e(code)}</p>'
        f'<p>{w("valid until")} {e(until)}</p><p class="hint">{w("enrol_hint")}</p>'
        f'<p><a href="{BASE}/devices">{w("Devices")}</a></p></section>'
    )
    return _shell(request, session, word(lang, "Enrolment code"), body)
