"""Alembic's entry point for the class lab's database (core/db/schema.py runs it on every start;
`alembic -c core/db/migrations/alembic.ini revision -m "..."` starts a new revision)."""

import sqlalchemy as sa
from alembic import context

from core.db.schema import METADATA


def run():
    connection = context.config.attributes.get("connection")
    if connection is None:  # from the command line: the app's own database
        from core.lab.store import default_url

        with sa.create_engine(default_url()).connect() as connection:
            context.configure(connection=connection, target_metadata=METADATA)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=METADATA)
    with context.begin_transaction():
        context.run_migrations()


run()
