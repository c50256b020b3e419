"""The Streamlit side of page state: the controls declared in ui/controls.py drawn as widgets bound
to the URL, the link of this run checked and held, and page state that is not a widget (`State`),
declared once like a control.

The declarations themselves (and `Controls`) are in ui/controls.py; they are
named here too, so that a page imports all it declares from one place.
"""

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from core.i18n import _, shown
from ui.controls import (  # noqa: F401
    CLASSROOM,
    LANGUAGE,
    SHOW,
    Controls,
    Multi,
    Number,
    Select,
    Slider,
    Steps,
    Text,
    Toggle,
)
from ui.routing import forget_link_value, respell_link_value
from ui.words import inert


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
# from the link's `show=` (hold_from_link).
HELD = State("held_controls", frozenset)

# Each kind of control's widget, drawn from its declaration.
WIDGETS = {
    Slider: lambda c, where, bound: where.slider(shown(c.label), c.min_value, c.max_value, c.default, c.step, **bound),
    Number: lambda c, where, bound: where.number_input(
        shown(c.label), c.min_value, c.max_value, c.default, c.step, **bound
    ),
    Toggle: lambda c, where, bound: where.toggle(shown(c.label), c.default, **bound),
    Select: lambda c, where, bound: where.selectbox(
        shown(c.label), c.options, c.options.index(c.default), format_func=c.labeller(), **bound
    ),
    Steps: lambda c, where, bound: where.select_slider(
        shown(c.label), c.options, c.default, format_func=c.labeller(), **bound
    ),
    Text: lambda c, where, bound: where.text_input(shown(c.label), c.default, **bound),
    Multi: lambda c, where, bound: where.multiselect(shown(c.label), c.options, list(c.default), **bound),
}


def is_held(control):
    """True when a teacher's link holds this control (hidden) in this run."""
    return control.key in HELD.get()


def draw(control, where=None, **extra):
    """Draw a control's widget in `where` (the page, a column, the sidebar) and return its value;
    a control a teacher's link holds is not drawn, and keeps its held value."""
    if is_held(control):
        return held_value(control)
    widget = next(WIDGETS[kind] for kind in type(control).__mro__ if kind in WIDGETS)
    bound = dict(key=control.key, help=shown(control.help), bind="query-params" if control.share else None, **extra)
    return widget(control, where or st, bound)


def held_value(control):
    """The value a hidden control keeps: the link's, once checked, or the default."""
    raws = st.query_params.get_all(control.key)
    if not raws:
        return control.default
    return control.value_of(raws if control.many else raws[0])


def setter(key, value):
    """Return a callback that moves the widget `key` to `value` (callbacks run before it is drawn)."""

    def callback():
        st.session_state[key] = value

    return callback


def drop_link_problems(controls):
    """Take the link's unusable values out of the URL before any control reads them, so each of
    those controls starts at its default; return them, to report with `report`. A value spelt
    another way ("10" for 10.0) is respelt as the control shows it."""
    problems = controls.link_problems(st.query_params)
    for key, _value, _why in problems:
        forget_link_value(key)
    for key, control in controls.controls.items():
        raws = st.query_params.get_all(key)
        if len(raws) == 1 and hasattr(control, "spelling") and control.spelling(raws[0]) not in (None, raws[0]):
            respell_link_value(key, control.spelling(raws[0]))
    return problems


def hold_from_link(controls):
    """Read the link's `show=` for this run: every control it does not name is held. Return
    (held keys, problems)."""
    held, problems = controls.held_by(st.query_params.get_all(SHOW))
    HELD.set(held)
    return held, problems


def report(problems):
    """Say which of the link's values were replaced by defaults, each shown as inert text."""
    if problems:
        st.info(
            _("This link had values the page cannot use, so the defaults are shown instead: {problems}.").format(
                problems="; ".join(f"**{key}** = {inert(value)} ({shown(why)})" for key, value, why in problems)
            ),
            icon=":material/link_off:",
        )


def help_box(controls, where=st):
    """Every control's help text, in words on the page: the "?" beside a control shows it on
    hover, which a touch screen or a screen reader may never do."""
    texts = {shown(control.label): shown(control.help) for control in controls.declared if control.help}
    with where.expander(_("What the controls do"), icon=":material/help:"):
        st.markdown("\n".join(f"- **{label}**: {text}" for label, text in texts.items()))


def current_values(controls):
    """Every control's value as the page shows it now (a held one at its held value)."""
    held = HELD.get()
    return {
        key: held_value(control) if key in held else st.session_state.get(key, control.default)
        for key, control in controls.controls.items()
    }


def share_box(controls, where=st):
    """A box with the link to the current view and a copy button; a teacher can choose which
    controls the students who open it may change."""
    values = current_values(controls)
    base = st.context.url or ""
    with where.popover(_("Share this view"), icon=":material/link:", width="stretch"):
        st.caption(
            _("This link opens this page with every control set as it is now. Copy it with the button at its right.")
        )
        changeable = st.multiselect(
            _("For a class: controls students may change"),
            [key for key in controls.controls if key != LANGUAGE.key],  # a learner's language stays theirs
            format_func=lambda key: shown(controls.controls[key].label),
            key="share_show",
            help=_("Leave empty to let them change everything. Any other control is hidden and held where it is now."),
        )
        st.code(controls.link(base, values, changeable), language=None, wrap_lines=True)


def bump(declaration):
    """Return an on_click callback that adds one to an integer control or State (e.g. a seed)."""

    def callback():
        default = declaration.default() if callable(declaration.default) else declaration.default
        st.session_state[declaration.key] = int(st.session_state.get(declaration.key, default)) + 1

    return callback
