"""Each page declares its controls once (key, label, range, default, help) and draws them from
that declaration, so the names, limits and explanations live in one place."""
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class Slider:
    key: str
    label: str
    min_value: float
    max_value: float
    default: float
    step: float
    help: str

    def __call__(self, where=st):
        return where.slider(self.label, self.min_value, self.max_value, self.default, self.step,
                            key=self.key, help=self.help)


@dataclass(frozen=True)
class Number:
    key: str
    label: str
    min_value: float
    max_value: float
    default: float
    step: float
    help: str

    def __call__(self, where=st):
        return where.number_input(self.label, self.min_value, self.max_value, self.default, self.step,
                                  key=self.key, help=self.help)


@dataclass(frozen=True)
class Toggle:
    key: str
    label: str
    default: bool
    help: str

    def __call__(self, where=st):
        return where.toggle(self.label, self.default, key=self.key, help=self.help)


@dataclass(frozen=True)
class Select:
    key: str
    label: str
    options: tuple
    default: str
    help: str
    names: dict = None  # optional display name per option

    def __call__(self, where=st):
        names = self.names or {}
        return where.selectbox(self.label, self.options, self.options.index(self.default), key=self.key,
                               help=self.help, format_func=lambda option: str(names.get(option, option)))


def bump(key, default=0):
    """Return an on_click callback that adds one to an integer widget's value (e.g. a seed)."""
    def callback():
        st.session_state[key] = int(st.session_state.get(key, default)) + 1
    return callback
