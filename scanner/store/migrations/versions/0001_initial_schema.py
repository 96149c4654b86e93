"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "events",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("timezone", sa.Text(), nullable=False),
        sa.Column("reentry", sa.Boolean(), nullable=False),
        sa.Column("max_code_age_s", sa.Integer(), nullable=True),
        sa.Column("keyring_json", sa.Text(), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("snapshot_generated_at", sa.Text(), nullable=True),
        sa.Column("imported_at", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_table(
        "journal",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=True),
        sa.Column("code_fp", sa.String(length=32), nullable=True),
        sa.Column("format", sa.String(length=8), nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("door", sa.Text(), nullable=False),
        sa.Column("operator", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("scanned_at", sa.Text(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("annuls", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("upload_state", sa.String(length=12), nullable=False),
        sa.Column("server_reason", sa.Text(), nullable=True),
        sa.Column("conflict_json", sa.Text(), nullable=True),
        sa.Column("uploaded_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal")),
        sa.UniqueConstraint("seq", name=op.f("uq_journal_seq")),
    )
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journal_annuls"), ["annuls"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_journal_event_id_ticket_id"), ["event_id", "ticket_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_journal_upload_state_seq"), ["upload_state", "seq"], unique=False
        )

    op.create_table(
        "remote_passages",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("door", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Text(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=True),
        sa.Column("annulled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_remote_passages")),
    )
    with op.batch_alter_table("remote_passages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_remote_passages_event_id_ticket_id"),
            ["event_id", "ticket_id"],
            unique=False,
        )

    op.create_table(
        "revocations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("code_fp", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revocations")),
    )
    with op.batch_alter_table("revocations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revocations_event_id_ticket_id"), ["event_id", "ticket_id"], unique=False
        )

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "tickets",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_type", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("days_json", sa.Text(), nullable=True),
        sa.Column("holder_name", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("order_code", sa.Text(), nullable=True),
        sa.Column("seat", sa.Text(), nullable=True),
        sa.Column("flags_json", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Text(), nullable=True),
        sa.Column("valid_until", sa.Text(), nullable=True),
        sa.Column("seed_sig", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("event_id", "ticket_id", name=op.f("pk_tickets")),
    )
    op.create_table(
        "trusted_signers",
        sa.Column("fingerprint", sa.String(length=19), nullable=False),
        sa.Column("public_b64u", sa.Text(), nullable=False),
        sa.Column("added_at", sa.Text(), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_trusted_signers")),
    )
    op.create_table(
        "checkin_lists",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("types_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_checkin_lists_event_id")
        ),
        sa.PrimaryKeyConstraint("event_id", "id", name=op.f("pk_checkin_lists")),
    )
    op.create_table(
        "event_days",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_event_days_event_id")),
        sa.PrimaryKeyConstraint("event_id", "day", name=op.f("pk_event_days")),
    )
    op.create_table(
        "ticket_types",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_ticket_types_event_id")),
        sa.PrimaryKeyConstraint("event_id", "id", name=op.f("pk_ticket_types")),
    )


def downgrade() -> None:

    op.drop_table("ticket_types")
    op.drop_table("event_days")
    op.drop_table("checkin_lists")
    op.drop_table("trusted_signers")
    op.drop_table("tickets")
    op.drop_table("settings")
    with op.batch_alter_table("revocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revocations_event_id_ticket_id"))

    op.drop_table("revocations")
    with op.batch_alter_table("remote_passages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remote_passages_event_id_ticket_id"))

    op.drop_table("remote_passages")
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_upload_state_seq"))
        batch_op.drop_index(batch_op.f("ix_journal_event_id_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_journal_annuls"))

    op.drop_table("journal")
    op.drop_table("events")
