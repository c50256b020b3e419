"""What a browser's "clear cache" message costs the server: a visitor's script can send it at will.
Starts the app on a PostgreSQL database, opens a class-lab room, then sends the message 10 times
(each followed by a run of the page, as the menu item does), and prints one JSON object: the
server's resident memory and its connections to the database, before and after.

Usage: python -m bench.clear_cache --db postgresql+psycopg://lab:lab@127.0.0.1:5432/lab
"""

import argparse
import asyncio
import json

import sqlalchemy as sa
from streamlit.proto.BackMsg_pb2 import BackMsg

from core.lab import store
from harness.server import rss_mb, running_app
from harness.session import Session

CLEARS = 10


def connections(engine):
    """The server's connections to the database: every one but this script's own."""
    with engine.connect() as connection:
        return connection.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND application_name <> 'bench'"
            )
        ).scalar()


async def measure(url, pid, code, probe):
    """The server's memory and connections with a room open, before and after CLEARS clears."""

    def reading():
        return {"rss_mb": round(rss_mb(pid), 1), "database_connections": connections(probe)}

    async with Session(url, "class_lab", f"room={code}") as visitor:
        await visitor.refresh()
        before = reading()
        for _ in range(CLEARS):
            message = BackMsg()
            message.clear_cache = True
            await visitor._socket.send(message.SerializeToString())
            await visitor.rerun()
        await asyncio.sleep(2)
        return before, reading()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.clear_cache", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL URL")
    arguments = parser.parse_args(argv)
    lab = store.Lab(arguments.db)
    code = lab.create_room().code
    lab.engine.dispose()
    probe = sa.create_engine(arguments.db, connect_args={"application_name": "bench"}, poolclass=sa.pool.NullPool)
    with running_app(NN_EXPLORER_DB=arguments.db) as (url, process):
        before, after = asyncio.run(measure(url, process.pid, code, probe))
    print(json.dumps({"clears": CLEARS, "before": before, "after": after}))


if __name__ == "__main__":
    main()
