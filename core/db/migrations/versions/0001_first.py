"""The class lab's first schema: rooms, and the drawings a class adds to them.

Revision 0001, the first.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rooms",
        sa.Column("code", sa.String(6), primary_key=True),
        sa.Column("teacher_key_sha256", sa.String(64), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "drawings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("room", sa.String(6), sa.ForeignKey("rooms.code", ondelete="CASCADE"), nullable=False),
        sa.Column("label", sa.SmallInteger, nullable=False),
        sa.Column("predicted", sa.SmallInteger, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("network", sa.String(80), nullable=False),
        sa.Column("image", sa.LargeBinary, nullable=False),
        sa.Column("straight", sa.LargeBinary, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("label BETWEEN 0 AND 9", name="label_is_a_digit"),
    )
    op.create_index("ix_drawings_room", "drawings", ["room"])


def downgrade():
    op.drop_index("ix_drawings_room", "drawings")
    op.drop_table("drawings")
    op.drop_table("rooms")
