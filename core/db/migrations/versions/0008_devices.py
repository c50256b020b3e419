"""Devices and locked rooms, against a script that fills a poll: each device that takes part in a
room is kept (as the SHA-256 of the token its browser keeps), a teacher can lock the room once the
class is in, and the secret that signs the tokens is shared by every server. Room codes grow from
6 to 8 characters, so that guessing one is hopeless at the pace joins are allowed.

Revision 0008, after 0007.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("rooms", sa.Column("locked", sa.DateTime(timezone=True)))
    # SQLite does not hold text to its declared length, and remaking its tables (Alembic's batch mode)
    # would drop `rooms` under the drawings that reference it: only PostgreSQL widens the columns.
    if op.get_bind().dialect.name == "postgresql":
        for table, column in (("rooms", "code"), ("drawings", "room"), ("polls", "room")):
            op.alter_column(table, column, type_=sa.String(8), existing_type=sa.String(6), existing_nullable=False)
    op.create_table(
        "devices",
        sa.Column("room", sa.String(8), sa.ForeignKey("rooms.code", ondelete="CASCADE"), primary_key=True),
        sa.Column("device", sa.String(64), primary_key=True),
        sa.Column("joined", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_devices_joined", "devices", ["room", "joined"])
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
    )


def downgrade():
    op.drop_table("server_secrets")
    op.drop_index("ix_devices_joined", "devices")
    op.drop_table("devices")
    with op.batch_alter_table("rooms") as table:
        table.drop_column("locked")
