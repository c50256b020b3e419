"""What a page's controls are, declared once: key, label, range, default, help, and how each reads
and writes its value in a link. Plain Python, testable without Streamlit (like TensorFlow
Playground's state.ts); ui/state.py draws them as widgets (`draw(RATE)`) and reads the link of this
run. Nothing here imports Streamlit or ui/state.py.

Every control is bound to the page's URL (the key being the parameter name), so a link reopens the
same view. Streamlit itself replaces a value it cannot use by the default; `Controls` checks a
link against the same declarations to say so on the page, and writes the link that reopens the
current view.
"""

import math
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from core import i18n
from core.i18n import ENGLISH, LANGUAGES, N_, every_translation, language_of

SHOW = "show"  # a link's list of the controls students may change, e.g. show=activation,rate


def _number_problem(raw, low, high, whole):
    """Why `raw` is no value of a number control, as a sentence kept with its values (`i18n.shown`
    says it in the reader's language), or None."""
    why = N_("must be a whole number from {low} to {high}") if whole else N_("must be a number from {low} to {high}")
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high or (whole and value != int(value)):
        return i18n.sentence(why, low=f"{low:g}", high=f"{high:g}")
    return None


class _Control:
    """What every control shares: a declaration, plain data. Drawing it as a widget, and whether a
    teacher's link holds it in this run, are ui/state.py's (`draw`, `is_held`)."""

    many = False  # True where the URL repeats the parameter, once per chosen value

    def value_of(self, raw):
        return raw


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
    """A number typed in a box, with the slider's range and step."""


@dataclass(frozen=True)
class Toggle(_Control):
    key: str
    label: str
    default: bool
    help: str
    share: bool = True

    def problem(self, raw):
        return None if raw.lower() in ("true", "false") else N_("must be true or false")

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
    # Options named by English sentences marked N_(), shown in the reader's language. Streamlit's
    # link carries the name shown, so a link in any language is read, and respelt in the reader's.
    translated: bool = False

    def _english(self, option):
        return str((self.names or {}).get(option, option))

    def label_of(self, option):
        return self.labeller()(option)

    def _labels(self):
        """Every option's label, in this run's language (one labeller for them all)."""
        return list(map(self.labeller(), self.options))

    def labeller(self):
        """label_of in this run's language, fixed now: the widget's format_func."""
        if not self.translated:
            return self._english
        show = i18n.shown_in(i18n.speaking())
        return lambda option: show(self._english(option))

    def spelling(self, raw):
        """The option's label a person meant by `raw`, or None: the label itself, a number written
        another way ("10" for 10.0, "1e-3" for 0.001), a name in other capitals, or (translated
        options) its name in any language the app speaks."""
        labels = self._labels()
        if raw in labels:
            return raw
        if self.translated:
            for option, label in zip(self.options, labels):
                if raw.strip().lower() in {name.lower() for name in every_translation(self._english(option))}:
                    return label
        for option, label in zip(self.options, labels):
            if isinstance(option, (int, float)) and not isinstance(option, bool):
                try:
                    if float(raw) == option:
                        return label
                except ValueError:
                    pass
        return {label.lower(): label for label in labels}.get(raw.strip().lower())

    def problem(self, raw):
        if self.spelling(raw):
            return None
        return i18n.sentence(N_("must be one of {choices}"), choices=", ".join(self._labels()))

    def param(self, value):
        return self.label_of(value)

    def value_of(self, raw):
        return self.options[self._labels().index(self.spelling(raw))]


@dataclass(frozen=True)
class Steps(Select):
    """A slider over a fixed list of values (a select slider). Links work as for Select: the URL
    carries the value as it is shown, e.g. 3.0 as "3.0"."""


@dataclass(frozen=True)
class Text(_Control):
    """A line of text that must match `pattern` (spaces ignored); `rule` says so in words (marked N_)."""

    key: str
    label: str
    default: str
    help: str
    pattern: str
    rule: str
    share: bool = True

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
    many = True  # the URL repeats the parameter, once per chosen option (a class attribute, not a field)

    def problem(self, raws):
        unknown = [raw for raw in raws if raw not in self.options]
        return i18n.sentence(N_("must be among {choices}"), choices=", ".join(self.options)) if unknown else None

    def param(self, value):
        return list(value)

    def value_of(self, raws):
        return list(raws)


CLASSROOM = Toggle(
    "classroom",
    N_("Classroom mode"),
    False,
    N_(
        "For a projector: bigger text and charts, explanations folded to their key sentence, "
        "and questions for the class to answer before a result is shown."
    ),
)


@dataclass(frozen=True)
class Language(Select):
    """The page's language: a link may name it as browsers do ("de-DE", "zh-Hans", "zh-CN")."""

    def spelling(self, raw):
        return language_of(raw)


LANGUAGE = Language(
    "lang",
    N_("Language"),
    tuple(LANGUAGES),
    ENGLISH,
    N_("The language of every page. A link that names one opens in it."),
)


def _differs(value, default):
    if isinstance(default, tuple):
        return tuple(value) != default
    return value != default


class Controls:
    """A page's shareable controls, declared once: checks a link's values, writes the link to the
    current view, and reads a teacher's `show=`. Classroom mode and the language are part of every
    page's link."""

    def __init__(self, *controls):
        self.declared = (CLASSROOM, LANGUAGE, *controls)
        self.controls = {control.key: control for control in self.declared if control.share}

    def link_problems(self, params):
        """(key, value, why) for each URL value that the page cannot use."""
        problems = []
        for key, control in self.controls.items():
            if key in params:
                raws = params.get_all(key) if hasattr(params, "get_all") else params[key]
                raws = [raws] if isinstance(raws, str) else list(raws)
                why = (
                    N_("was given more than once")
                    if len(raws) > 1 and not control.many
                    else control.problem(raws if control.many else raws[0])
                )
                if why:
                    problems.append((key, ", ".join(raws), why))
        return problems

    def link(self, base, values, show=()):
        """The URL that reopens a view: only values that differ from the defaults are written, and
        `show`, the controls students may change, if any are named."""
        params = {
            key: control.param(values[key])
            for key, control in self.controls.items()
            if key in values and _differs(values[key], control.default)
        }
        if show:
            params[SHOW] = ",".join(show)
        return f"{base}?{urlencode(params, doseq=True)}" if params else base

    def held_by(self, raws):
        """Read a link's `show=` values: every control they do not name is held. Return (held keys,
        problems): keys they name that are no control of this page."""
        if not raws:
            return frozenset(), []
        named = [key.strip() for raw in raws for key in raw.split(",") if key.strip()]
        unknown = [key for key in named if key not in self.controls]
        if len(unknown) == len(named):  # show= empty, or naming nothing here: no list, rather than no controls
            return frozenset(), [
                (SHOW, ", ".join(raws), N_("names no control of this page, so every control can be changed"))
            ]
        why = N_("names no control of this page; the others it names can be changed")
        held = frozenset(self.controls) - set(named) - {LANGUAGE.key}  # a learner's language stays theirs
        return held, [(SHOW, ", ".join(unknown), why)] if unknown else []
