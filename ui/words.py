"""Putting a message into a sentence: reasons come from many places (the database, a trainer,
a refused upload), some ending in a full stop and some not, and a page joins them to its own words.
And a visitor's own text (a link's value, a file's contents) made inert before a page shows it."""

import re


def as_sentence(reason):
    """The reason with one full stop at its end, never two: "it was refused" → "it was refused."."""
    text = str(reason).strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


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
