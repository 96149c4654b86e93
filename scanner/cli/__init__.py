"""The `scanner` command line: door work, imports and diagnostics for technicians."""
