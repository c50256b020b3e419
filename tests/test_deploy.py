"""What a hosting service or a Docker build relies on: exactly one TensorFlow build per platform
in requirements.txt, and an image that holds every part of the project the app imports."""
import ast
import re

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
    chosen = [r.name for r in requirements() if r.name.startswith("tensorflow")
              and (r.marker is None or r.marker.evaluate(environment))]
    expected = ["tensorflow-cpu"] if platform.startswith("linux x86-64") else ["tensorflow"]
    assert chosen == expected


def test_the_docker_image_holds_every_project_module_the_app_imports():
    copied = set(re.findall(r"^COPY (\S+) ", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE))
    project = {path.name for path in ROOT.iterdir() if path.is_dir() or path.suffix == ".py"}
    imported = set()
    for source in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/**/*.py"), *ROOT.glob("core/**/*.py")]:
        for node in ast.walk(ast.parse(source.read_text())):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            imported |= {name.split(".")[0] for name in names}
    needed = (imported & project) | {"app.py", "pages", ".streamlit"}
    assert needed <= copied, needed - copied
    assert "python -m core.digits.pretrain" in (ROOT / "Dockerfile").read_text()
