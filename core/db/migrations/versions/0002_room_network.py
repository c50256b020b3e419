"""A room may have a network of its own: the one taught its handwriting (empty: the default).

Revision 0002, after 0001.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("rooms", sa.Column("network", sa.String(80)))


def downgrade():
    with op.batch_alter_table("rooms") as table:  # SQLite drops a column by copying the table
        table.drop_column("network")
