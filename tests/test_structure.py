"""The code's layout rules (docs/code-map.md), checked on the source itself: functions and pages stay
short, pages keep no page state under literal keys, and only the trainer imports TensorFlow. Which
module may import which is import-linter's contracts in pyproject.toml (tests/test_tools.py).

Lengths are counted in logical lines: each statement as Python's own `ast.unparse` writes it, so
comments, blank lines and the way `ruff format` wraps a long call over several lines do not count
(a function's docstring does not either). A sentence is one line however long. A function is also
held to 40 lines as a reader sees them on screen, from its decorators to its last line, its
docstring left out."""

import ast
import re

import pytest

from tests.conftest import ROOT

LAYERS = ("app.py", "lessons", "ui", "core")
MAX_FUNCTION_LINES = 35
MAX_FUNCTION_SCREEN_LINES = 40
MAX_PAGE_LINES = 120


def logical_lines(statements):
    return sum(len(ast.unparse(statement).splitlines()) for statement in statements)


def function_lines(node):
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    return 1 + logical_lines(body)  # the `def` line and the body


def screen_lines(node):
    """A function's lines as the file shows them, blank and comment lines included, its docstring not."""
    first = min([node.lineno] + [decorator.lineno for decorator in node.decorator_list])
    docstring = node.body[0] if ast.get_docstring(node) is not None else None
    return node.end_lineno - first + 1 - (docstring.end_lineno - docstring.lineno + 1 if docstring else 0)


def python_files(*places):
    for place in places:
        path = ROOT / place
        yield from ([path] if path.is_file() else sorted(path.rglob("*.py")))


def imported_modules(path, top_level=False):
    """The modules a file imports, `from a import b` counted as both `a` and `a.b`; with
    `top_level`, only those imported when the file is (not inside a function)."""
    tree = ast.parse(path.read_text())
    for node in tree.body if top_level else ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


@pytest.mark.parametrize("path", list(python_files(*LAYERS, "bench", "harness")), ids=str)
def test_functions_are_short_and_nothing_outside_tests_imports_tests(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        exempt = path.parts[-2] == "bench"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not exempt:
            length, shown = function_lines(node), screen_lines(node)
            assert length <= MAX_FUNCTION_LINES, f"{node.name} is {length} lines"
            assert shown <= MAX_FUNCTION_SCREEN_LINES, f"{node.name} takes {shown} lines on screen"
    assert not [module for module in imported_modules(path) if module.split(".")[0] == "tests"]


@pytest.mark.parametrize("path", list(python_files("ui")), ids=str)
def test_ui_never_imports_pages(path):
    assert not [module for module in imported_modules(path) if module.split(".")[0] == "lessons"]


@pytest.mark.parametrize("path", list(python_files("lessons")), ids=str)
def test_pages_are_short_and_declare_their_state(path):
    text = path.read_text()
    assert logical_lines(ast.parse(text).body) <= MAX_PAGE_LINES
    assert not re.search(r"""session_state(\[|\.setdefault\()\s*["']""", text), "declare it with ui.state.State"


MAX_MODULE_LINES = 250  # in core/ and ui/: past this, a module holds more than one thing


@pytest.mark.parametrize("path", list(python_files("core", "ui")), ids=str)
def test_modules_in_core_and_ui_hold_one_thing(path):
    assert logical_lines(ast.parse(path.read_text()).body) <= MAX_MODULE_LINES


MAX_MODULE_SCREEN_LINES = 300  # as the file shows them, comments and docstrings included


@pytest.mark.parametrize("path", list(python_files(*LAYERS, "harness", "deploy")), ids=str)
def test_no_module_of_the_app_is_over_300_lines(path):
    assert len(path.read_text().splitlines()) <= MAX_MODULE_SCREEN_LINES


def test_schema_changes_are_alembic_revisions_not_hand_written_sql():
    written = [path for path in python_files(*LAYERS, "bench", "harness") if "ALTER TABLE" in path.read_text().upper()]
    assert not written


# the only ones that import Keras when imported: the trainer code and its command line
TRAINER_MODULES = {"core/digits/model.py", "core/digits/serving.py", "core/digits/pretrain.py"}


@pytest.mark.parametrize("path", list(python_files("app.py", "lessons", "ui", "core")), ids=str)
def test_only_the_trainers_modules_import_tensorflow_or_their_own(path):
    # The web server imports every module but these (tests/test_network.py runs the pages to check it).
    if str(path.relative_to(ROOT)) in TRAINER_MODULES:
        return
    imported = set(imported_modules(path, top_level=True))
    assert not {module for module in imported if module.split(".")[0] in ("keras", "tensorflow", "tf2onnx")}
    assert not imported & {"core.digits.model", "core.digits.serving"}
