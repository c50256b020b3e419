"""Each page declares its controls once (key, label, range, default, help) and draws them from
that declaration, so the names, limits and explanations live in one place. Page state that is not
a widget is declared the same way, with `State`.

Every control is bound to the page's URL (Streamlit's `bind="query-params"`, the key being the
parameter name), so a link reopens the same view. Streamlit itself replaces a value it cannot use
by the default; `Controls` checks a link against the same declarations to say so on the page, and
writes the link that reopens the current view.
"""
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from ui.routing import forget_link_value, respell_link_value


def _bind(share):
    return "query-params" if share else None


def _number_problem(raw, low, high, whole):
    kind = "a whole number" if whole else "a number"
    try:
        value = float(raw)
    except ValueError:
        return f"must be {kind} from {low:g} to {high:g}"
    if not math.isfinite(value) or not low <= value <= high or (whole and value != int(value)):
        return f"must be {kind} from {low:g} to {high:g}"
    return None


class _Control:
    """What every control shares: drawn as its widget, unless a teacher's link holds it (then
    hidden, at the link's value or its default)."""

    def __call__(self, where=st, **extra):
        return self.held() if self.is_held() else self._draw(where, **extra)

    def is_held(self):
        """True when a teacher's link holds this control (hidden) in this run."""
        return self.key in HELD.get()

    def held(self):
        """The value a hidden control keeps: the link's, once checked, or the default."""
        raws = st.query_params.get_all(self.key)
        if not raws:
            return self.default
        return self.value_of(raws if getattr(self, "many", False) else raws[0])

    def value_of(self, raw):
        return raw

    def setter(self, value):
        """Return a callback that moves the widget to `value` (callbacks run before it is drawn)."""
        def callback():
            st.session_state[self.key] = value
        return callback


@dataclass(frozen=True)
class Slider(_Control):
    key: str
    label: str
    min_value: float
    max_value: float
    default: float
    step: float
    help: str
    share: bool = True  # bound to the URL

    def _draw(self, where, **extra):
        return where.slider(self.label, self.min_value, self.max_value, self.default, self.step,
                            key=self.key, help=self.help, bind=_bind(self.share))

    @property
    def whole(self):
        """True for a whole-number control (its range and step are integers)."""
        return all(isinstance(value, int) for value in (self.min_value, self.max_value, self.step))

    def problem(self, raw):
        """Why a URL value cannot be used, or None."""
        return _number_problem(raw, self.min_value, self.max_value, self.whole)

    def param(self, value):
        return f"{value:g}"

    def value_of(self, raw):
        return int(float(raw)) if self.whole else float(raw)


@dataclass(frozen=True)
class Number(Slider):
    def _draw(self, where, **extra):
        return where.number_input(self.label, self.min_value, self.max_value, self.default, self.step,
                                  key=self.key, help=self.help, bind=_bind(self.share))


@dataclass(frozen=True)
class Toggle(_Control):
    key: str
    label: str
    default: bool
    help: str
    share: bool = True

    def _draw(self, where, **extra):
        return where.toggle(self.label, self.default, key=self.key, help=self.help, bind=_bind(self.share), **extra)

    def problem(self, raw):
        return None if raw.lower() in ("true", "false") else "must be true or false"

    def value_of(self, raw):
        return raw.lower() == "true"

    def param(self, value):
        return "true" if value else "false"


@dataclass(frozen=True)
class Select(_Control):
    key: str
    label: str
    options: tuple
    default: str
    help: str
    names: dict = None  # optional display name per option; the URL carries the name shown
    share: bool = True

    def label_of(self, option):
        return str((self.names or {}).get(option, option))

    def _draw(self, where, **extra):
        return where.selectbox(self.label, self.options, self.options.index(self.default), key=self.key,
                               help=self.help, format_func=self.label_of, bind=_bind(self.share))

    def spelling(self, raw):
        """The option's label a person meant by `raw`, or None: the label itself, a number written
        another way ("10" for 10.0, "1e-3" for 0.001), or a name in other capitals."""
        labels = [self.label_of(option) for option in self.options]
        if raw in labels:
            return raw
        for option, label in zip(self.options, labels):
            if isinstance(option, (int, float)) and not isinstance(option, bool):
                try:
                    if float(raw) == option:
                        return label
                except ValueError:
                    pass
        return {label.lower(): label for label in labels}.get(raw.strip().lower())

    def problem(self, raw):
        labels = [self.label_of(option) for option in self.options]
        return None if self.spelling(raw) else "must be one of " + ", ".join(labels)

    def param(self, value):
        return self.label_of(value)

    def value_of(self, raw):
        label = self.spelling(raw)
        return next(option for option in self.options if self.label_of(option) == label)


CLASSROOM = Toggle("classroom", "Classroom mode", False,
                   "For a projector: bigger text and charts, explanations folded to their key sentence, "
                   "and questions for the class to answer before a result is shown.")


MARKDOWN_MARKS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$]|:(?=//))")


def plain(text):
    """Text from a visitor's file, made safe to show in Markdown: every mark Markdown, a link or
    LaTeX could use is escaped (an escaped ':' also stops a bare http:// from becoming a link),
    and it is kept on one line."""
    return MARKDOWN_MARKS.sub(r"\\\1", " ".join(str(text).split()))


def inert(text, limit=40):
    """A URL value made safe to show in Markdown: shortened and put in a code span, where nothing
    is formatted or turned into a link (a backtick, which would end the span, is replaced)."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return "`" + text.replace("`", "\u02cb").replace("\n", " ") + "`"


def _differs(value, default):
    if isinstance(default, tuple):
        return tuple(value) != default
    return value != default


class Controls:
    """A page's shareable controls, declared once: checks a link's values and writes the link
    to the current view. Classroom mode is part of every page's link."""

    def __init__(self, *controls):
        self.declared = (CLASSROOM, *controls)
        self.controls = {control.key: control for control in self.declared if control.share}

    def link_problems(self, params):
        """(key, value, why) for each URL value that the page cannot use."""
        problems = []
        for key, control in self.controls.items():
            if key in params:
                raws = params.get_all(key) if hasattr(params, "get_all") else params[key]
                raws = [raws] if isinstance(raws, str) else list(raws)
                many = getattr(control, "many", False)
                why = "was given more than once" if len(raws) > 1 and not many else control.problem(
                    raws if many else raws[0])
                if why:
                    problems.append((key, ", ".join(raws), why))
        return problems

    def link(self, base, values, show=()):
        """The URL that reopens a view: only values that differ from the defaults are written, and
        `show`, the controls students may change, if any are named."""
        params = {key: control.param(values[key]) for key, control in self.controls.items()
                  if key in values and _differs(values[key], control.default)}
        if show:
            params[SHOW] = ",".join(show)
        return f"{base}?{urlencode(params, doseq=True)}" if params else base

    def drop_link_problems(self):
        """Take the link's unusable values out of the URL before any control reads them, so each
        of those controls starts at its default; return them, to report with `report`."""
        problems = self.link_problems(st.query_params)
        for key, _, _ in problems:
            forget_link_value(key)
        for key, control in self.controls.items():
            raws = st.query_params.get_all(key)
            if len(raws) == 1 and hasattr(control, "spelling") and control.spelling(raws[0]) not in (None, raws[0]):
                respell_link_value(key, control.spelling(raws[0]))
        return problems

    def hold_from_link(self):
        """Read the link's `show=`: every control it does not name is held (hidden, at the link's
        value or its default) for this run. Return (held keys, problems): keys `show` names that
        are no control of this page."""
        raws = st.query_params.get_all(SHOW)
        if not raws:
            HELD.set(frozenset())
            return frozenset(), []
        named = [key.strip() for raw in raws for key in raw.split(",") if key.strip()]
        unknown = [key for key in named if key not in self.controls]
        if len(unknown) == len(named):  # show= empty, or naming nothing here: no list, rather than no controls
            HELD.set(frozenset())
            return frozenset(), [(SHOW, ", ".join(raws), "names no control of this page, so every control can be "
                                                         "changed")]
        HELD.set(frozenset(self.controls) - set(named))
        why = "names no control of this page; the others it names can be changed"
        return HELD.get(), [(SHOW, ", ".join(unknown), why)] if unknown else []

    @staticmethod
    def report(problems):
        """Say which of the link's values were replaced by defaults, each shown as inert text."""
        if problems:
            st.info("This link had values the page cannot use, so the defaults are shown instead: "
                    + "; ".join(f"**{key}** = {inert(value)} ({why})" for key, value, why in problems) + ".",
                    icon=":material/link_off:")

    def help_box(self, where=st):
        """Every control's help text, in words on the page: the "?" beside a control shows it on
        hover, which a touch screen or a screen reader may never do."""
        texts = {control.label: control.help for control in self.declared if control.help}
        with where.expander("What the controls do", icon=":material/help:"):
            st.markdown("\n".join(f"- **{label}**: {text}" for label, text in texts.items()))

    def share_box(self, where=st):
        """A box with the link to the current view and a copy button; a teacher can choose which
        controls the students who open it may change."""
        held = HELD.get()
        values = {key: control.held() if key in held else st.session_state.get(key, control.default)
                  for key, control in self.controls.items()}
        base = st.context.url or ""
        with where.popover("Share this view", icon=":material/link:", width="stretch"):
            st.caption("This link opens this page with every control set as it is now. Copy it with the "
                       "button at its right.")
            shown = st.multiselect("For a class: controls students may change", list(self.controls),
                                   format_func=lambda key: self.controls[key].label, key="share_show",
                                   help="Leave empty to let them change everything. Any other control is hidden "
                                        "and held where it is now.")
            st.code(self.link(base, values, shown), language=None, wrap_lines=True)


@dataclass(frozen=True)
class Steps(Select):
    """A slider over a fixed list of values (a select slider). Links work as for Select: the URL
    carries the value as it is shown, e.g. 3.0 as "3.0"."""

    def _draw(self, where, **extra):
        return where.select_slider(self.label, self.options, self.default, key=self.key, help=self.help,
                                   format_func=self.label_of, bind=_bind(self.share))


@dataclass(frozen=True)
class Text(_Control):
    """A line of text that must match `pattern` (spaces ignored); `rule` says so in words."""

    key: str
    label: str
    default: str
    help: str
    pattern: str
    rule: str
    share: bool = True

    def _draw(self, where, **extra):
        return where.text_input(self.label, self.default, key=self.key, help=self.help, bind=_bind(self.share))

    def problem(self, raw):
        return None if re.fullmatch(self.pattern, raw.replace(" ", "")) else self.rule

    def param(self, value):
        return value


@dataclass(frozen=True)
class Multi(_Control):
    key: str
    label: str
    options: tuple
    default: tuple
    help: str
    share: bool = True
    many = True  # the URL repeats the parameter, once per chosen option

    def _draw(self, where, **extra):
        return where.multiselect(self.label, self.options, list(self.default), key=self.key, help=self.help,
                                 bind=_bind(self.share))

    def problem(self, raws):
        unknown = [raw for raw in raws if raw not in self.options]
        return "must be among " + ", ".join(self.options) if unknown else None

    def param(self, value):
        return list(value)

    def value_of(self, raws):
        return list(raws)


@dataclass(frozen=True)
class State:
    """A piece of page state that is not a widget (a trained network, a counter), declared once
    with its key and a function that makes its default. Pages use `get` and `set`, never a key."""

    key: str
    default: Callable = lambda: None  # called for each new session, so defaults are never shared

    def get(self):
        if self.key not in st.session_state:
            st.session_state[self.key] = self.default()
        return st.session_state[self.key]

    def set(self, value):
        st.session_state[self.key] = value

    def reset(self):
        """Back to the default (also usable as a button's on_click)."""
        self.set(self.default())


# The controls a teacher's link holds in this run (hidden, at the link's value); set by the header
# from the link's `show=`.
HELD = State("held_controls", frozenset)
SHOW = "show"  # a link's list of the controls students may change, e.g. show=activation,rate


def bump(declaration):
    """Return an on_click callback that adds one to an integer control or State (e.g. a seed)."""
    def callback():
        default = declaration.default() if callable(declaration.default) else declaration.default
        st.session_state[declaration.key] = int(st.session_state.get(declaration.key, default)) + 1
    return callback
