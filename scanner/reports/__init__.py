"""Organizer reports: one Qt-free model built from plain rows, and writers over it.

The companion API (all devices) and a door (its own journal plus what it synced) both hand the
model the same row shapes (`rows`); `model.build_report` turns them into the report's parts, and
`writers.write_report` puts those into CSV, XLSX or PDF. Only `pdf` touches Qt, and it runs in a
child process of its own (`pdf_process`).
"""
