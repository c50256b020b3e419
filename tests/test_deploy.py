"""What a hosting service or a Docker build relies on: exactly one TensorFlow build per platform
in requirements.txt, and an image that holds every part of the project the app imports."""

import ast
import os
import re
import time

import pytest
from packaging.requirements import Requirement

from tests.conftest import ROOT

PLATFORMS = {
    "linux x86-64 (hosting, Docker)": {"sys_platform": "linux", "platform_machine": "x86_64"},
    "linux arm64": {"sys_platform": "linux", "platform_machine": "aarch64"},
    "macOS arm64": {"sys_platform": "darwin", "platform_machine": "arm64"},
    "Windows": {"sys_platform": "win32", "platform_machine": "AMD64"},
}


def requirements():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_each_platform_installs_exactly_one_tensorflow(platform):
    environment = {"python_version": "3.11", "python_full_version": "3.11.7", **PLATFORMS[platform]}
    chosen = [
        r.name
        for r in requirements()
        if r.name.startswith("tensorflow") and (r.marker is None or r.marker.evaluate(environment))
    ]
    expected = ["tensorflow-cpu"] if platform.startswith("linux x86-64") else ["tensorflow"]
    assert chosen == expected


def test_the_docker_image_holds_every_project_module_the_app_imports():
    copied = set(re.findall(r"^COPY (\S+) ", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE))
    project = {path.name for path in ROOT.iterdir() if path.is_dir() or path.suffix == ".py"}
    imported = set()
    for source in [ROOT / "app.py", *ROOT.glob("lessons/*.py"), *ROOT.glob("ui/**/*.py"), *ROOT.glob("core/**/*.py")]:
        for node in ast.walk(ast.parse(source.read_text())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom) and node.module
                else []
            )
            imported |= {name.split(".")[0] for name in names}
    needed = (imported & project) | {"app.py", "lessons", ".streamlit"}
    assert needed <= copied, needed - copied
    assert "python -m core.digits.pretrain" in (ROOT / "Dockerfile").read_text()


def test_compose_runs_the_services_of_the_cluster_script_with_the_same_commands_and_environment():
    """compose.yaml and `python -m deploy.cluster` (deploy/cluster.py) describe one setup: the same
    services, each with the same command and the same environment variables; only the addresses
    differ (Docker's service names and fixed ports, against loopback and free ports)."""
    import yaml

    from deploy import cluster

    composed = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    declared = cluster.services(
        "postgresql+psycopg://lab:lab@localhost/lab",
        "/state",
        {name: 9000 + i for i, name in enumerate(cluster.APP_SERVERS)},
        "127.0.0.1:8500",
    )
    assert set(composed) == {"db", *declared}

    def without_addresses(command):
        return [
            part.split("=")[0] if part.startswith(("--server.port=", "--server.address=")) else part for part in command
        ]

    for name, service in declared.items():
        assert without_addresses(composed[name]["command"]) == without_addresses(service.command), name
        assert set(composed[name]["environment"]) == set(service.environment), name
        for variable, value in composed[name]["environment"].items():
            if variable == "NN_EXPLORER_DB":
                assert value.startswith("postgresql+psycopg://") and value.endswith("@db:5432/lab")
            elif variable == "NN_EXPLORER_CACHE":  # a model folder of its own: no shared disk
                assert value.endswith(f"/{name}-models") and service.environment[variable].endswith(f"/{name}-models")
            elif variable.startswith("NN_EXPLORER_APP"):
                server = variable.removeprefix("NN_EXPLORER_").lower()
                assert value == f"{server}:8501" and service.environment[variable].endswith(
                    f":{9000 + int(server[-1]) - 1}"
                )
    # the balancer's configuration names every app server, by the variables both set
    config = (ROOT / cluster.HAPROXY_CONFIG).read_text()
    assert all(f'"${{NN_EXPLORER_{name.upper()}}}"' in config for name in cluster.APP_SERVERS)


def test_a_stopped_service_is_started_again_after_a_back_off_and_the_others_go_on(tmp_path, monkeypatch):
    from deploy import cluster

    monkeypatch.setattr(cluster, "BACKOFF_FIRST", 0.2)
    sleeper = cluster.Service(["python", "-c", "import time; print('up', flush=True); time.sleep(600)"], {})
    (tmp_path / "logs").mkdir()
    running = cluster.Cluster("", "", {}, tmp_path, {}, {"worker": sleeper, "app1": sleeper}, dict(os.environ))
    try:
        for name in running.services:
            running.start(name)
        other, log = running.processes["app1"].pid, tmp_path / "logs" / "worker.log"

        def wait_for(ups):
            deadline = time.monotonic() + 10
            while log.read_text().count("up") < ups:
                assert time.monotonic() < deadline
                time.sleep(0.05)

        wait_for(1)
        running.stop("worker")  # SIGKILL, as in the hostile test
        said = []
        assert running.watch(said.append) == [] and "worker stopped (exit code -9)" in said[0]
        deadline = time.monotonic() + 10
        while not running.watch(said.append):
            assert time.monotonic() < deadline, said
            time.sleep(0.05)
        assert running.processes["worker"].poll() is None and running.processes["app1"].pid == other
        wait_for(2)  # one log, both runs
        assert running.backoff["worker"] == 0.4  # the next stop waits twice as long
        running.stop("worker")
        running.watch(said.append)
        assert "starting it again in 0.4 s" in said[-1] and running.due["worker"] - time.monotonic() > 0.3
    finally:
        for name in running.processes:
            running.stop(name)
