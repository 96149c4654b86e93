"""The companion API: the ticketing platform's side of check-in (docs/server.md)."""

__version__ = "0.1.0"
