"""The FastAPI application: routes under /api/v1, OpenAPI at /docs."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, FastAPI
from starlette.middleware.gzip import GZipMiddleware

from server_stub import __version__
from server_stub.api import errors
from server_stub.api.limits import BodyLimit
from server_stub.api.ratelimit import RateLimiter
from server_stub.api.routes import (
    annulments,
    enroll,
    health,
    organizer,
    organizer_devices,
    organizer_page,
    report_files,
    sync,
)
from server_stub.core.config import Settings
from server_stub.db import Database, migrate, open_database
from server_stub.services.change_signal import ChangeSignal, Relay
from server_stub.services.platform import signing_secret
from server_stub.services.pruning import Pruner
from server_stub.services.secrets_at_rest import open_secrets

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    db = db or open_database(settings.database_url)
    migrate(db)
    open_secrets(db)  # a key file that cannot open the secrets stops the start, not a request
    with db.writing() as session:
        secret = signing_secret(session)  # made now, so serving never has to write it
    app = FastAPI(
        title="Door scanner companion API",
        version=__version__,
        description="The ticketing platform's side of check-in. See docs/server.md.",
    )
    app.state.settings = settings
    app.state.db = db
    app.state.signing_secret = secret
    app.state.cursors = {}  # device id -> the change cursor last noted for it
    # Long-polls wait on this; other processes' commits reach it through PostgreSQL's NOTIFY.
    app.state.change_signal = ChangeSignal(None if db.is_sqlite else _relay(db))
    app.state.page_reads = {}  # (event, cursor, page size) -> the read woken doors share
    db.change_listeners.append(app.state.change_signal.notify)
    app.state.limiters = {
        "enroll": RateLimiter(settings.enroll_per_minute),
        "organizer": RateLimiter(settings.organizer_per_minute),
        "sign_in": RateLimiter(settings.sign_in_per_minute),  # the page's failed sign-ins
    }
    app.state.pruner = Pruner(
        db, settings.prune_interval_s, timedelta(seconds=settings.prune_stale_after_s)
    )
    if settings.prune_interval_s > 0:
        app.state.pruner.start()
    api = APIRouter(prefix=API_PREFIX)
    for module in (health, enroll, sync, organizer, annulments, report_files):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(organizer_page.router)  # the organizers' page (docs/organizer.md)
    app.include_router(organizer_devices.router)
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    # Snapshots (and change pages, exports) shrink about tenfold; only for clients that accept it.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(errors.CatchAll)  # added last: outermost of ours
    return app


def _relay(db: Database) -> Relay:
    from server_stub.services.change_relay import PostgresRelay  # psycopg: not in the demo

    return PostgresRelay(db.url)


def app_from_env() -> FastAPI:
    """For `uvicorn --factory server_stub.api.main:app_from_env` (settings from the environment)."""
    return create_app()
