"""A class opens the handwriting page at once on a server with no trained network: the network
trains once, and every student's drawing gets a prediction. Eight browsers show the sharing as
well as thirty would; bench/classroom.py opens thirty, and times them."""

import tempfile
from pathlib import Path

from harness.browser import classroom
from harness.server import TrainerCount, running_app

SESSIONS = 8


def test_a_class_shares_one_training_and_all_get_predictions(browser, tiny_mnist):
    # The small file keeps this test to minutes; bench/classroom.py runs the same on the full set.
    scratch = Path(tempfile.mkdtemp(prefix="classroom-"))
    (scratch / "tmp").mkdir()
    with running_app(MNIST_NPZ=tiny_mnist, NN_EXPLORER_CACHE=scratch / "models", TMPDIR=scratch / "tmp") as (
        url,
        server,
    ):
        trainers = TrainerCount(server.pid)
        trainers.start()
        _, results = classroom(browser, url, SESSIONS)
        trainers.running = False
        assert server.poll() is None
    assert len(results) == SESSIONS
    assert all(result["exceptions"] == 0 for result in results)
    assert all(len(result["prediction"]) == 1 and result["prediction"].isdigit() for result in results)
    assert len(trainers.seen) == 1
    assert len(list((scratch / "models").glob("*.keras"))) == 1
    assert not list((scratch / "tmp").glob("nn-explorer-train-*"))  # its workspace is gone once it is saved
