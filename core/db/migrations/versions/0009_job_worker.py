"""A job's record no longer names the worker running it: procrastinate keeps that itself (its
`procrastinate_jobs.worker_id`, with each worker's heartbeat in `procrastinate_workers`), and no
page read the copy.

Revision 0009, after 0008. SQLite 3.35 and later drop a column in place, as PostgreSQL does.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_column("jobs", "worker")


def downgrade():
    op.add_column("jobs", sa.Column("worker", sa.String(120)))
