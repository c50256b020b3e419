"""A PostgreSQL schema of one's own: what a test or a benchmark runs in, so that it starts from an
empty database each time and can run again (or beside another) on the same server."""

import contextlib
import uuid


@contextlib.contextmanager
def fresh_schema(url, prefix="run"):
    """Make an empty schema on the PostgreSQL at `url`; yield a URL whose connections use only it
    (the app's migrations and procrastinate's tables fill it); drop it, with everything in it, after."""
    import sqlalchemy as sa

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {name}"))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{name}"
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))
        engine.dispose()
