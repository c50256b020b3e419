"""Time what a learner waits for on the concept pages, and print the figures as JSON:
seconds from `streamlit run app.py` until the home page answers, and each page's rerun time
after a slider move (median of several moves, measured with AppTest in this process).

Usage: python -m bench.pages
"""

import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
MOVES = {  # page: (slider key, two values to alternate between)
    "lessons/loss.py": ("m", (2.5, 1.5)),
    "lessons/perceptron.py": ("threshold", (3.5, 4.5)),
    "lessons/sigmoid.py": ("b", (0.5, -0.5)),
    "lessons/descent.py": ("rate", (0.2, 0.3)),
    "lessons/backprop.py": ("w_x1_h1", (0.7, -0.7)),
}


def startup_seconds():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.05)
    finally:
        server.terminate()
        server.wait(10)


def rerun_milliseconds(page, key, values, moves=10):
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    app.switch_page(page).run()
    times = []
    for move in range(moves):
        app.slider(key=key).set_value(values[move % 2])
        started = time.perf_counter()
        app.run()
        times.append((time.perf_counter() - started) * 1000)
        assert not app.exception
    return statistics.median(times)


def main():
    print(json.dumps({"startup_seconds": round(startup_seconds(), 2)}))
    for page, (key, values) in MOVES.items():
        print(
            json.dumps(
                {"page": page, "slider": key, "rerun_ms_median": round(rerun_milliseconds(page, key, values), 1)}
            )
        )


if __name__ == "__main__":
    main()
