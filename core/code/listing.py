"""A lesson's code: short Python that redoes what the page shows, with the learner's numbers filled
in, one step at a time, each with its explanation in plain words. The same Listing is shown on the
page (ui/code.py), saved as a script, and saved as a Jupyter notebook (nbformat v4).

The code itself is written in Jinja templates, `core/code/templates/<module>.py.j2`, one macro a
step, so that it reads as the Python it is. Written here only what no library does: turning a
page's values into Python literals and copying the app's own functions into a listing
(`source_of`), so that the code shown is the code that ran. The notebook file itself is nbformat's.
"""

import functools
import inspect
import json
import math
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import lazy_loader as lazy

from core.i18n import _, ngettext

nbformat = lazy.load("nbformat")  # loaded when a notebook is first made: most pages never make one

PYTHON = "python3"
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Step:
    """One step of a listing: what it does, in words (Markdown), and its code."""

    why: str
    code: str
    fold: bool = False  # long code the reader may skip (the app's own helpers): folded on the page


@dataclass(frozen=True)
class Listing:
    """The code behind a view: a title, an introduction, steps, and `results`, the names of the
    variables that hold what the page shows (the tests run the code and compare them)."""

    title: str
    intro: str
    steps: tuple
    results: tuple = ()
    file_stem: str = "lesson"

    def script(self):
        """The whole listing as one Python file, each step's explanation as a comment above it."""
        parts = [f'"""{self.title}\n\n{_wrapped(self.intro)}\n"""']
        for step in self.steps:
            parts.append(
                "\n".join("# " + line if line else "#" for line in _wrapped(step.why).splitlines())
                + "\n"
                + step.code.strip()
            )
        return "\n\n\n".join(parts) + "\n"

    def notebook(self):
        """The listing as a Jupyter notebook (nbformat v4), as text: explanations in Markdown cells,
        code in code cells, in order, ready to run top to bottom."""
        cells = [nbformat.v4.new_markdown_cell(f"# {self.title}\n\n{self.intro}")]
        for step in self.steps:
            cells += [nbformat.v4.new_markdown_cell(step.why), nbformat.v4.new_code_cell(step.code.strip())]
        notebook = nbformat.v4.new_notebook(
            cells=cells,
            metadata={
                "kernelspec": {"name": PYTHON, "display_name": "Python 3", "language": "python"},
                "language_info": {"name": "python"},
            },
        )
        nbformat.validate(notebook)
        return nbformat.writes(notebook)


def comment(text, width=96):
    """A paragraph as Python comment lines, wrapped: a template's longer comments, which are
    translated whole (a language's sentence does not break where English's does)."""
    return "\n".join("# " + line for line in textwrap.wrap(text, width - 2))


def in_language(sentences):
    """A listing's table of sentences (each marked with `N_` where it is declared), in the reader's
    language: the steps' explanations are kept apart from the code that makes the steps."""
    return {name: _(sentence) for name, sentence in sentences.items()}


def _wrapped(text, width=96):
    return "\n".join(textwrap.fill(paragraph, width) if paragraph.strip() else "" for paragraph in text.splitlines())


def literal(value):
    """A page's value written as Python: numbers exactly (a float's repr reads back as the same
    float), arrays and tuples as lists, strings quoted."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} cannot be written as a Python literal")
        return repr(float(value))
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, (list, tuple)):
        inner = ", ".join(literal(item) for item in value)
        return (
            f"({inner},)"
            if isinstance(value, tuple) and len(value) == 1
            else (f"({inner})" if isinstance(value, tuple) else f"[{inner}]")
        )
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(key)}: {literal(item)}" for key, item in value.items()) + "}"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # "double quotes", as Keras's examples write them
    raise ValueError(f"{type(value).__name__} values cannot be written as Python literals here")


def assignments(**values):
    """Lines `name = literal`, one per value, in the order given."""
    return "\n".join(f"{name} = {literal(value)}" for name, value in values.items())


# inspect.getsource parses the file of a class with ast.parse, and CPython 3.11 keeps the depth of
# that conversion in state two threads share: two pages listing code at once raised "SystemError:
# AST constructor recursion depth mismatch" on a server under a class's load. One at a time.
_PARSING = threading.Lock()


def source_of(*objects):
    """The source of the app's own functions, classes and constants, as they are in its files.
    A constant is given as (module, name) and written `NAME = value`."""
    parts = []
    for item in objects:
        if isinstance(item, tuple):
            module, name = item
            parts.append(f"{name} = {literal(getattr(module, name))}")
        else:
            with _PARSING:
                parts.append(textwrap.dedent(inspect.getsource(item)).strip())
    return "\n\n\n".join(parts)


@functools.cache
def templates(name):
    """The step macros of `core/code/templates/<name>.py.j2`: each returns one step's code, with
    `literal` as a filter. Missing values raise rather than leave a hole in the code."""
    import jinja2  # already installed with Altair; loaded when a listing is first made

    environment = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # Python, not HTML  # noqa: S701
    )
    environment.filters["literal"] = literal
    environment.filters["comment"] = comment
    environment.install_gettext_callables(_, ngettext, newstyle=False)  # a comment in the reader's language
    return environment.get_template(f"{name}.py.j2").module
