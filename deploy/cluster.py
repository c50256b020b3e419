"""A whole school's setup on one machine, for trying it and for the tests: Debian's PostgreSQL,
two app servers, one worker and HAProxy in front, each server with a model folder of its own (as
if on separate machines: networks reach them through the database).

    python -m deploy.cluster            # prints the URL; Ctrl-C stops everything it started

A service that stops (a crash, a kill) is started again after a back-off (1 s, doubling to 30 s,
back to 1 s once it has run a minute), and the others go on meanwhile. Every service's log is kept
in the state folder's `logs/` after the cluster stops.

The services are declared once, in `services()`; compose.yaml runs the same commands with the same
environment on Docker hosts (tests/test_deploy.py compares them). PostgreSQL is started with the
project's `.ci/postgres` (Debian's package, installed if missing), unless `--db` names one.
"""

import argparse
import contextlib
import dataclasses
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAPROXY_CONFIG = "deploy/haproxy.cfg"
APP_SERVERS = ("app1", "app2")
STREAMLIT = ["streamlit", "run", "app.py", "--server.headless=true"]
BACKOFF_FIRST, BACKOFF_MOST = 1.0, 30.0  # seconds before a stopped service is started again
STEADY_SECONDS = 60.0  # a service up this long starts its back-off from BACKOFF_FIRST again


@dataclasses.dataclass(frozen=True)
class Service:
    command: list
    environment: dict
    health: str = ""  # a URL that answers once it is up


def services(db, state, ports, bind):
    """Every service but the database: name → Service. `ports` gives each app server's port,
    `state` the folder that holds each one's model folder, `bind` where browsers connect."""
    declared = {
        name: Service(
            [*STREAMLIT, f"--server.port={ports[name]}", "--server.address=127.0.0.1"],
            {"NN_EXPLORER_DB": db, "NN_EXPLORER_CACHE": f"{state}/{name}-models"},
            f"http://127.0.0.1:{ports[name]}/_stcore/health",
        )
        for name in APP_SERVERS
    }
    declared["worker"] = Service(
        ["python", "-m", "core.jobs.worker"], {"NN_EXPLORER_DB": db, "NN_EXPLORER_CACHE": f"{state}/worker-models"}
    )
    declared["balancer"] = Service(
        ["haproxy", "-f", HAPROXY_CONFIG, "-db"],
        {
            "NN_EXPLORER_BIND": bind,
            **{f"NN_EXPLORER_{name.upper()}": f"127.0.0.1:{ports[name]}" for name in APP_SERVERS},
        },
        f"http://{bind}/_stcore/health",
    )
    return declared


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_postgres():
    """Debian's PostgreSQL, started by the project's script; its URL."""
    return subprocess.run([str(ROOT / ".ci" / "postgres")], check=True, capture_output=True, text=True).stdout.strip()


@dataclasses.dataclass
class Cluster:
    url: str  # where browsers connect: the balancer
    db: str
    processes: dict  # name → subprocess.Popen
    state: Path
    ports: dict
    services: dict  # name → Service
    environment: dict  # what every service's environment starts from
    up_since: dict = dataclasses.field(default_factory=dict)  # name → when it was last started (monotonic)
    backoff: dict = dataclasses.field(default_factory=dict)  # name → seconds to wait after its next stop
    due: dict = dataclasses.field(default_factory=dict)  # name → when a stopped service starts again

    def start(self, name):
        """Start one service (again), and wait until it answers."""
        self.up_since[name] = time.monotonic()
        service = self.services[name]
        command = (
            [sys.executable, *service.command[1:]]
            if service.command[0] == "python"
            else ([sys.executable, "-m", *service.command] if service.command[0] == "streamlit" else service.command)
        )
        log = self.state / "logs" / f"{name}.log"
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**self.environment, **service.environment},
            start_new_session=True,
            stdout=open(log, "a"),
            stderr=subprocess.STDOUT,
        )
        if service.health:
            _wait_until_up(name, self.processes[name], service.health, log)

    def stop(self, name):
        """Stop one service at once, as when its machine goes down (its job processes with it)."""
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)

    def watch(self, say=print):
        """One look at every service: one that has stopped is started again once its back-off has
        passed, and the others go on meanwhile; `say` tells what happens. Returns the names
        started again."""
        now, restarted = time.monotonic(), []
        for name, process in list(self.processes.items()):
            if process.poll() is None:
                if now - self.up_since.get(name, now) > STEADY_SECONDS:
                    self.backoff.pop(name, None)
                continue
            if name not in self.due:
                delay = self.backoff.get(name, BACKOFF_FIRST)
                self.due[name], self.backoff[name] = now + delay, min(2 * delay, BACKOFF_MOST)
                say(
                    f"{name} stopped (exit code {process.returncode}); starting it again in {delay:g} s "
                    f"(its log: {self.state / 'logs' / f'{name}.log'})"
                )
            elif now >= self.due[name]:
                del self.due[name]
                try:
                    self.start(name)
                    say(f"{name} is running again")
                except RuntimeError as error:  # it stopped again on start: the next look waits longer
                    say(str(error))
                restarted.append(name)
        return restarted


def _wait_until_up(name, process, url, log, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped on start (exit code {process.returncode}); its log: {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer at {url} within {timeout} s; its log: {log}")


@contextlib.contextmanager
def running(db=None, bind=None, state=None, **environment):
    """Start the cluster; yield a Cluster; stop every process it started afterwards. Extra
    `environment` (None removes a variable) goes to every service."""
    db = db or start_postgres()
    made = state is None
    state = Path(state or tempfile.mkdtemp(prefix="nn-explorer-cluster-"))
    (state / "logs").mkdir(parents=True, exist_ok=True)
    ports = {name: free_port() for name in APP_SERVERS}
    bind = bind or f"127.0.0.1:{free_port()}"
    base = {key: value for key, value in {**os.environ, **environment}.items() if value is not None}
    base["PYTHONPATH"] = str(ROOT)
    started = Cluster(f"http://{bind}", db, {}, state, ports, services(db, state, ports, bind), base)
    try:
        # the worker first: it brings the database's schema up to date before the servers ask
        for name in sorted(started.services, key=lambda name: name != "worker"):
            started.start(name)
        yield started
    finally:
        for name, process in started.processes.items():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for name, process in started.processes.items():
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                started.stop(name)
            with contextlib.suppress(ProcessLookupError):  # anything it started that outlived it
                os.killpg(process.pid, signal.SIGKILL)
        for models in state.glob("*-models"):  # the logs stay, to read what happened
            if made:
                shutil.rmtree(models, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="a PostgreSQL URL (default: start Debian's, with .ci/postgres)")
    parser.add_argument("--bind", default="127.0.0.1:8500", help="where browsers connect (default %(default)s)")
    parser.add_argument("--state", help="the folder for the model folders and logs (default: a new temporary one)")
    arguments = parser.parse_args(argv)
    if not shutil.which("haproxy"):
        parser.error("HAProxy is not installed: apt-get install haproxy")
    with running(arguments.db, arguments.bind, arguments.state) as cluster:
        print(
            f"The explorer: {cluster.url}  (servers on ports {', '.join(map(str, cluster.ports.values()))}, "
            f"one worker; logs in {cluster.state / 'logs'}). A service that stops is started again; "
            "Ctrl-C stops everything.",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            while True:
                cluster.watch(lambda words: print(words, file=sys.stderr, flush=True))
                time.sleep(1)
    print(f"Stopped. The logs are in {cluster.state / 'logs'}.", file=sys.stderr)


if __name__ == "__main__":
    main()
