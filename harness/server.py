"""A real Streamlit server for a test or a benchmark: the app started on a free port and stopped
afterwards, and what its processes hold (memory, the trainers it starts).

Used by tests/ and bench/; it imports neither.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(url, process, log_name, timeout=60):
    deadline = time.time() + timeout
    while True:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            if time.time() > deadline or process.poll() is not None:
                raise RuntimeError(f"the app did not start; see test-artifacts/{log_name}")
            time.sleep(0.2)


# A test's server: no browser of its own, only on this machine, and no watching of files.
SERVER_OPTIONS = ("--server.headless", "true", "--server.address", "127.0.0.1", "--server.fileWatcherType", "none")


@contextlib.contextmanager
def running_app(root=ROOT, script="app.py", **environment):
    """Run `streamlit run app.py` (or another `script`) in `root` (this project, or a fresh clone
    of it) on a free loopback port with extra environment variables (None removes one); yield
    (url, process) once /_stcore/health answers, stop it afterwards."""
    port = free_port()
    env = dict(os.environ)
    for key, value in environment.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    ARTIFACTS.mkdir(exist_ok=True)
    log_name = f"server-{port}.log"
    log = open(ARTIFACTS / log_name, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, *SERVER_OPTIONS, "--server.port", str(port)],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log_name)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def rss_mb(pid, field="VmRSS"):
    """Return a process's resident memory in MB (VmHWM: its peak), or 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid):
    """The pids of a process's children. Linux lists a child under the thread that started it (a
    server starts its job workers from a page's script thread), so every thread's list is read."""
    found = []
    for listed in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in listed.read_text().split()]
        except OSError:
            pass  # the thread has ended
    return list(dict.fromkeys(found))


def process_tree(pid):
    """Return pid and the pids of all its descendants."""
    return [pid] + [descendant for child in children(pid) for descendant in process_tree(child)]


class TrainerCount(threading.Thread):
    """Watch a server's training processes until stopped; `seen` holds every one that ran. A
    trainer is a worker (multiprocessing's spawned child of the server) that loaded TensorFlow. Not
    counted: the job pool's idle workers, started ahead of the next job, which load nothing; and a
    worker's own short-lived children (a library running a command), which for the moment between
    fork and exec look just like their parent, TensorFlow and all."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.seen, self.running = pid, set(), True

    def run(self):
        while self.running:
            for child in set(children(self.pid)) - self.seen:
                try:
                    worker = b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
                    if worker and "libtensorflow" in Path(f"/proc/{child}/maps").read_text():
                        self.seen.add(child)
                except OSError:
                    pass
            time.sleep(0.2)
