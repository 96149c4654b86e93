"""Alembic migrations of the companion API (a package so that wheels and builds ship it)."""
