"""Background work on a shared PostgreSQL: the job queue's own tables (procrastinate's schema, on
PostgreSQL only), and this app's record of each job, which every app server reads: its state, its
progress, why it failed, and which sessions wait for it.

Revision 0005, after 0004. procrastinate's schema is the one the installed procrastinate ships
(`SchemaManager.get_schema()`); a later procrastinate that changes it brings its own SQL
migrations, which a revision after this one applies.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "jobs",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("body", sa.String(200), nullable=False),
        sa.Column("arguments", sa.LargeBinary, nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("phase", sa.String(80), nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("steps", sa.Integer, nullable=False),
        sa.Column("history", sa.JSON, nullable=False),
        sa.Column("error", sa.String(400), nullable=False),
        sa.Column("result", sa.JSON),
        sa.Column("attempts", sa.SmallInteger, nullable=False),
        sa.Column("queue_id", sa.BigInteger),
        sa.Column("worker", sa.String(120)),
        sa.Column("submitted", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started", sa.DateTime(timezone=True)),
        sa.Column("ended", sa.DateTime(timezone=True)),
        sa.Column("seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "job_owners",
        sa.Column("owner", sa.String(64), primary_key=True),
        sa.Column("key", sa.String(80), nullable=False),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and not sa.inspect(bind).has_table("procrastinate_jobs"):
        from procrastinate.schema import SchemaManager

        with bind.connection.dbapi_connection.cursor() as cursor:  # as is: its SQL has % signs, no parameters
            cursor.execute(SchemaManager.get_schema())


def downgrade():
    op.drop_table("job_owners")
    op.drop_table("jobs")
