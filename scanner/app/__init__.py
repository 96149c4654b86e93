"""Wiring: the one place that knows the store, the check-in core, sync and the camera."""
