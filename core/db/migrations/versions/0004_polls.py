"""Live polls: a room's polls of the lessons' "Predict before you press" questions, the class's
anonymous answers, and the lesson the teacher is on (students follow it).

Revision 0004, after 0003.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("rooms", sa.Column("lesson", sa.String(2000)))
    op.create_table(
        "polls",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("room", sa.String(6), sa.ForeignKey("rooms.code", ondelete="CASCADE"), nullable=False),
        sa.Column("lesson", sa.String(40), nullable=False),
        sa.Column("question", sa.String(40), nullable=False),
        sa.Column("settings", sa.String(64), nullable=False),
        sa.Column("text", sa.String(400), nullable=False),
        sa.Column("choices", sa.JSON, nullable=False),
        sa.Column("answer", sa.String(400), nullable=False),
        sa.Column("opened", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revealed", sa.DateTime(timezone=True)),
        sa.Column("closed", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_polls_room", "polls", ["room"])
    op.create_table(
        "answers",
        sa.Column("poll", sa.Integer, sa.ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("voter", sa.String(64), primary_key=True),
        sa.Column("choice", sa.SmallInteger, nullable=False),
        sa.Column("answered", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("answers")
    op.drop_index("ix_polls_room", "polls")
    op.drop_table("polls")
    with op.batch_alter_table("rooms") as table:
        table.drop_column("lesson")
