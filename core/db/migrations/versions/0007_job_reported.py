"""When the worker running a job last reported on it (about every second), so that every server
sees within seconds that a worker has gone silent, and says so on the page.

Revision 0007, after 0006.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("jobs", sa.Column("reported", sa.DateTime(timezone=True)))


def downgrade():
    with op.batch_alter_table("jobs") as table:
        table.drop_column("reported")
