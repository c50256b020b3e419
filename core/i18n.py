"""Every word a learner reads, in the class's language: English, Spanish, German or Simplified
Chinese (docs/adding-a-language.md adds another).

The standard tools, not a translation system of our own: GNU gettext catalogs in
`locales/<language>/LC_MESSAGES/messages.po`, extracted from the code and compiled by Babel
(`pybabel extract/update/compile`, configured in `babel.cfg`), read by Python's own `gettext`.
Written here only what they leave to each app: which language this run speaks (a function the
web page gives, `speaking`), and picking it from a link or a browser's language.

- `_("…")` translates a sentence, with named placeholders filled after: `_("{count} digits").format(count=n)`.
- `ngettext("one digit", "{count} digits", n)` picks the plural form the language has.
- `N_("…")` marks a sentence declared once, at import, for extraction; it is translated where it is shown.
- `sentence(N_("Add {delta} to {weight}?"), delta="0.2", weight="w1")` keeps a sentence with values as
  data (a room's poll is stored so): `shown()` writes it in this run's language, `english()` in English.
- `number(0.5, 2)` writes a number in prose as the language does ("0,50" in Spanish and German).
  Formulas, code and tables meant to be copied keep Python's form.
"""

import functools
import gettext
import json
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal, parse_pattern

ENGLISH = "en"
LANGUAGES = {"en": "English", "es": "Español", "de": "Deutsch", "zh": "简体中文"}  # code → its own name
SPOKEN_AS = {"zh-hans": "zh", "zh-cn": "zh", "zh-sg": "zh"}  # other names browsers and links use
BABEL_LOCALES = {"en": "en", "es": "es", "de": "de", "zh": "zh_Hans_CN"}
LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def language_of(name):
    """The language code this app speaks for `name` (a link's `lang`, or a browser's locale such
    as "de-DE" or "zh-Hans-CN"), or None when it speaks none of it."""
    if not isinstance(name, str):
        return None
    name = name.strip().lower().replace("_", "-")
    for candidate in (name, "-".join(name.split("-")[:2]), name.split("-")[0]):
        code = SPOKEN_AS.get(candidate, candidate)
        if code in LANGUAGES:
            return code
    return None


def chosen(link=None, browser=None):
    """The language of a run: the link's, else the browser's, else English."""
    return language_of(link) or language_of(browser) or ENGLISH


@functools.cache
def catalog(language):
    """The compiled catalog of `language` (English: the sentences as written)."""
    if language == ENGLISH:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALES, languages=[language], fallback=True)


def _english():
    return ENGLISH


speaking = _english  # the language of this run: the web page replaces it (ui/language.py)


def _(message):
    return catalog(speaking()).gettext(message)


def ngettext(singular, plural, count):
    return catalog(speaking()).ngettext(singular, plural, count)


def every_translation(message):
    """`message` (as `shown` takes it) in every language the app speaks: a link may carry a name in
    any of them."""
    return {shown_in(code)(message) for code in LANGUAGES}


def N_(message):  # noqa: N802 - gettext's own name for "extract this, translate it later"
    return message


def number(value, decimals=None, significant=None):
    """`value` written as this run's language writes numbers in prose, with `decimals` digits
    after the point, or `significant` significant digits, or as many as it has."""
    if significant and value:
        pattern = "@" + "#" * (significant - 1)  # CLDR's significant digits, as Python's :g rounds
    elif significant:
        pattern = "0"  # CLDR writes zero with significant digits as "0.0"; Python's :g as "0"
    else:
        pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[speaking()])


def percent(share, decimals=0):
    """`share` (0.5) as a percentage, as this run's language writes one ("50 %" in German)."""
    locale = BABEL_LOCALES[speaking()]
    pattern = parse_pattern(Locale.parse(locale).percent_formats[None])
    pattern.frac_prec = (decimals, decimals)
    return pattern.apply(share, locale)


def sentence(template, **values):
    """A sentence and the values it is written with, kept as text: a room stores its poll so,
    and each student's device shows it in its own language (`shown`)."""
    return json.dumps({"sentence": template, "values": values}, ensure_ascii=False)


def _parts(text):
    try:
        kept = json.loads(text)
        return str(kept["sentence"]), {str(name): str(value) for name, value in kept["values"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):  # a plain sentence
        return text, {}


def shown_in(language):
    """`shown` in `language`, fixed now: for a callback Streamlit may call later (a widget's
    format_func, which AppTest also calls outside the run)."""
    words = catalog(language).gettext

    def show(text):
        template, values = _parts(text)
        if not values:
            return words(template)
        return words(template).format(**{name: words(value) for name, value in values.items()})

    return show


def shown(text):
    """`text` (a marked sentence, or one made by `sentence`) in this run's language; a value that
    is itself a marked sentence (the name of an example) is translated too."""
    return shown_in(speaking())(text)


def english(text):
    """`text` (a marked sentence, or one made by `sentence`) in English, as written."""
    template, values = _parts(text)
    return template.format(**values) if values else template


class Said(Exception):
    """An error said in a marked sentence and its values: str() is the English (logs, tests),
    `told()` this run's language (the page). Mixed into an error class before its base."""

    def __init__(self, template, **values):
        self.template, self.values = template, values
        super().__init__(template.format(**values) if values else template)

    def told(self):
        return _(self.template).format(**self.values) if self.values else _(self.template)


class Refused(Said, ValueError):
    """Bad input refused, in words (a file, a setting)."""


def told(error):
    """What went wrong, for the page: a Said error in this run's language, any other error as it is."""
    return error.told() if isinstance(error, Said) else str(error)
