"""The cluster on this machine (deploy/cluster.py): Debian's PostgreSQL (the tests' own schema),
two app servers with model folders of their own, one worker and HAProxy. New browsers are spread
over both servers by the balancer's cookie; a browser reaches a prediction through it; when its
server is killed it is moved to the other and still gets one; and stopping the cluster leaves
nothing running."""

import os
import shutil
import time
import urllib.request

import pytest

from core.digits import shipped
from harness.browser import CANVAS, PREDICTION, STROKES, draw, settle
from harness.server import process_tree


def pinned_to(url):
    """The server the balancer gives a browser that has no cookie yet."""
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as answer:
        cookies = answer.headers.get_all("Set-Cookie") or []
    return next(cookie.split(";")[0].split("=")[1] for cookie in cookies if cookie.startswith("NN_EXPLORER_SERVER="))


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False


def test_the_cluster_spreads_browsers_serves_a_prediction_survives_a_server_and_stops_clean(
    database, page_factory, tmp_path
):
    from deploy import cluster

    if not shutil.which("haproxy"):
        if os.environ.get("CI"):
            pytest.fail("CI installs HAProxy for this test (.ci/run)")
        pytest.skip("HAProxy is not installed: apt-get install haproxy")
    with cluster.running(db=database, state=tmp_path, NN_EXPLORER_SHIPPED=shipped.DIRECTORY) as running:
        assert {pinned_to(running.url) for _ in range(4)} == set(cluster.APP_SERVERS)  # round robin, then pinned

        page = page_factory()
        page.goto(f"{running.url}/mnist")
        page.wait_for_selector(CANVAS, timeout=120_000)
        settle(page)
        draw(page, STROKES["1"])
        page.wait_for_selector(PREDICTION, timeout=60_000)
        server = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "NN_EXPLORER_SERVER")
        pids = {pid for process in running.processes.values() for pid in process_tree(process.pid)}

        running.stop(server)  # its machine goes down
        killed = time.monotonic()
        page.wait_for_selector(CANVAS, timeout=60_000)  # the page reconnects, to the other server
        page.reload()  # what a student does with a page that looks stuck
        page.wait_for_selector(CANVAS, timeout=120_000)
        settle(page)
        draw(page, STROKES["1"])
        page.wait_for_selector(PREDICTION, timeout=60_000)
        moved = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "NN_EXPLORER_SERVER")
        assert moved != server, f"still on {server} {time.monotonic() - killed:.1f} s after it was killed"
    assert not [pid for pid in pids if alive(pid)]  # every process it started has gone
