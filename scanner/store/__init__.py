"""The local SQLite store: attendee snapshot, keyrings, the journal, settings."""
