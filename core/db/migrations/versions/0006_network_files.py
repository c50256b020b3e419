"""Trained networks in the shared database: every file of each network a worker saves, so that
app servers on other machines copy it into their own model folder (core/digits/shared.py).

Revision 0006, after 0005.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "network_files",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("saved", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("network_files")
