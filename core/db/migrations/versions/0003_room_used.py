"""When a room last had a drawing added, so that rooms unused for a month can be deleted.

Revision 0003, after 0002.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("rooms", sa.Column("used", sa.DateTime(timezone=True)))


def downgrade():
    with op.batch_alter_table("rooms") as table:
        table.drop_column("used")
