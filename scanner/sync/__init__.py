"""Sync with the companion API: enrol, pull snapshot and changes, push the journal."""
