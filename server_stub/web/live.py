"""The live view: the report model's counts for the event, as an HTML fragment the page swaps
in when something changed. Built from the same model as the downloads, so the page and the
reports agree; rebuilt only when the event's journal or change log moved (`live_version`)."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from scanner.reports.model import DaySeries, Mark, Report
from server_stub.db import Database
from server_stub.models import Checkin, Event, utcnow
from server_stub.services.report_rows import event_report
from server_stub.web.chart import arrivals_svg
from server_stub.web.layout import e, table
from server_stub.web.words import reason, word

_cache: dict[tuple[str, str], tuple[int, Report]] = {}  # (database, event) -> the newest
_lock = threading.Lock()


def live_version(db: Database, event_id: str) -> int:
    """Grows with every stored check-in and every change record (undo, ticket change)."""
    return live_state(db, event_id)[0]


def live_state(db: Database, event_id: str) -> tuple[int, int]:
    """The live version, and the event's newest change seq (what the change signal counts)."""
    with db.reading() as session:
        seq = session.scalar(select(Event.last_seq).where(Event.id == event_id)) or 0
        count = session.scalar(select(func.count()).where(Checkin.event_id == event_id)) or 0
    return int(seq) + int(count), int(seq)


def live_report(db: Database, event_id: str) -> tuple[int, Report]:
    """The event's report, made again only when its live version moved."""
    version = live_version(db, event_id)
    key = (str(db.engine.url), event_id)
    with _lock:
        cached = _cache.get(key)
        if cached and cached[0] == version:
            return cached
    report = event_report(db, event_id)
    with _lock:
        _cache[key] = (version, report)
    return version, report


def today(report: Report, now: datetime) -> DaySeries | None:
    """Today's chart in the event's zone, else the latest day with admissions."""
    local = now.astimezone(ZoneInfo(report.event.timezone)).date()
    for day in report.days:
        if day.date == local:
            return day
    return report.days[-1] if report.days else None


def fragment(report: Report, lang: str) -> str:
    def w(text: str) -> str:
        return word(lang, text)

    t = report.totals
    figures = (
        ("Admitted", f"{t.admitted} / {t.expected}", "admitted"),
        ("Inside now", t.inside, "inside"),
        ("No-shows", t.no_shows, "no-shows"),
        ("Refused scans", t.refused, "refused"),
        ("Conflicts", t.conflicts, "conflicts"),
    )
    tiles = "".join(
        f'<div class="tile" id="fig-{key}"><b>{e(value)}</b><span>{e(w(label))}</span></div>'
        for label, value, key in figures
    )
    doors = table(
        [w("Door"), w("Admissions"), w("People"), w("Exits"), w("Refused"), w("Inside now")],
        [(d.door, d.admissions, d.people, d.exits, d.refused, d.inside) for d in report.by_door],
        w("None."), numeric=frozenset({1, 2, 3, 4, 5}), table_id="by-door",
    )  # fmt: skip
    types = table(
        [w("Type"), w("Expected"), w("Admitted"), w("Inside now")],
        [(r.name, r.expected, r.admitted, r.inside) for r in report.by_type],
        w("None."), numeric=frozenset({1, 2, 3}),
    )  # fmt: skip
    reasons = table(
        [w("Reason"), w("Count")],
        [(reason(lang, code), n) for code, n in report.refused_by_reason],
        w("None."), numeric=frozenset({1}),
    )  # fmt: skip
    local = report.local
    conflicts = table(
        [w("Ticket"), w("Holder"), w("First admission"), w("Second admission")],
        [
            (c.ticket_id, c.holder_name, _side(local(c.first.at), c.first),
             _side(local(c.second.at), c.second))
            for c in report.conflicts[-50:]
        ],
        w("None."), table_id="conflicts",
    )  # fmt: skip
    day = today(report, utcnow())
    title = w("admissions per 15 minutes by door, and people inside")
    chart = (
        f"<h3>{e(day.date.isoformat())}: {e(title)}</h3>"
        + arrivals_svg(day, title, w("people inside"))
        if day
        else f'<p class="empty">{e(w("No admissions yet."))}</p>'
    )
    made = local(report.generated_at).strftime("%H:%M:%S")
    return (
        f'<section class="tiles">{tiles}</section>'
        f"<section><h2>{e(w('Arrivals'))}</h2>{chart}</section>"
        f'<div class="columns"><section><h2>{e(w("By door"))}</h2>{doors}</section>'
        f"<section><h2>{e(w('By ticket type'))}</h2>{types}</section></div>"
        f'<div class="columns"><section><h2>{e(w("Refusals by reason"))}</h2>{reasons}</section>'
        f"<section><h2>{e(w('Conflicts'))}</h2>{conflicts}</section></div>"
        f'<p class="updated">{e(w("Updated"))} {e(made)} ({e(report.event.timezone)})</p>'
    )


def _side(at: datetime, mark: Mark) -> str:
    """One admission of a conflict: when (to the second), where, on which device."""
    return f"{at:%Y-%m-%d %H:%M:%S} · {mark.door}" + (
        f" · {mark.device_name}" if mark.device_name else ""
    )
