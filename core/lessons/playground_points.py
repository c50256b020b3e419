"""The learner's own points as a file: reading an uploaded CSV (x1, x2, label) with every
problem said in words that quote at most a little of what was sent, and writing the points back.
"""

import csv
import io

import numpy as np
import pandas as pd

from core.i18n import N_, Refused, sentence
from core.lessons.playground_data import EXTENT, MAX_CLASSES

CSV_COLUMNS = ("x1", "x2", "label")
MAX_ROWS = 2000  # a learner's own points, uploaded or clicked: more than the plane shows clearly, and a step stays fast
FULL = sentence(
    N_(
        "You have {count} points of your own, the most the plane takes: clear them, or upload a smaller file, "
        "to add others."
    ),
    count=f"{MAX_ROWS:,}",
)
SHOWN_CHARACTERS = 24  # of a column name or value quoted back in a message
MAX_HEADER_CHARACTERS = 1000  # "x1,x2,label" with room for spaces and quotes
NOT_CSV = N_(
    "This is not a CSV file we can read: save it as comma-separated text (UTF-8) with the columns x1, x2, label."
)


def add(points, x1, x2, label):
    """Add a clicked point [x1, x2, label] to the learner's `points` (a list, changed in place), unless
    they already have MAX_ROWS, the same limit an upload has; return whether it was added."""
    if len(points) >= MAX_ROWS:
        return False
    points.append([x1, x2, int(label)])
    return True


def _shown(text):
    """A piece of the file, quoted back short: at most SHOWN_CHARACTERS, on one line."""
    text = " ".join(str(text).split())
    return f"“{text[:SHOWN_CHARACTERS]}{'…' if len(text) > SHOWN_CHARACTERS else ''}”"


def _number(text, line, name):
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not np.isfinite(value):
        raise Refused(
            N_(
                "Line {line}: {name} is not a number (it is empty, text, NaN or infinite). Every point needs three numbers."
            ),
            line=line,
            name=name,
        )
    return value


def _point(row, line):
    """One line's (x1, x2, label), checked; ValueError naming the line and what is wrong."""
    if len(row) != len(CSV_COLUMNS):
        raise Refused(
            N_("Line {line} has {count} values; every line needs exactly three: x1, x2, label."),
            line=line,
            count=f"{len(row):,}",
        )
    x1, x2, label = (_number(value.strip(), line, name) for value, name in zip(row, CSV_COLUMNS))
    if max(abs(x1), abs(x2)) > EXTENT:
        raise Refused(
            N_(
                "Line {line}: the point lies outside the plane shown; x1 and x2 must be between −{extent} and {extent}."
            ),
            line=line,
            extent=EXTENT,
        )
    if label not in range(MAX_CLASSES):
        raise Refused(
            N_("Line {line}: the label must be a class number from 0 to {last}."), line=line, last=MAX_CLASSES - 1
        )
    return x1, x2, label


def _text(data):
    """The file's text; refused when it is not text, or when its first line is too long to be a header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(NOT_CSV) from error
    if "\0" in text:
        raise Refused(NOT_CSV)
    first = text[: MAX_HEADER_CHARACTERS + 1].split("\n", 1)[0]
    if len(first) > MAX_HEADER_CHARACTERS:  # refused from its length, before anything is split
        raise Refused(
            N_(
                "The first line must name the columns x1, x2, label (in that order); this file's first "
                "line is over {count} characters long: {quoted}."
            ),
            count=f"{MAX_HEADER_CHARACTERS:,}",
            quoted=_shown(first),
        )
    return text


def _check_header(header):
    """Refuse a first line that does not name the columns x1, x2, label, in that order."""
    columns = [name.strip().lower() for name in header]
    if columns == list(CSV_COLUMNS):
        return
    if not columns:
        raise Refused(NOT_CSV)
    quoted = ", ".join(_shown(name) for name in header[:3]) + (", …" if len(header) > 3 else "")
    raise Refused(
        N_(
            "The first line must name the columns x1, x2, label (in that order); this file has {count} column(s): {quoted}."
        ),
        count=f"{len(header):,}",
        quoted=quoted,
    )


def _rows(lines):
    """Every point after the header, blank lines skipped; refused past MAX_ROWS."""
    rows = []
    for row in lines:
        if not row or not "".join(row).strip():
            continue  # a blank line
        if len(rows) == MAX_ROWS:
            raise Refused(
                N_("The file has more than {count} points; at most {count} can be used."), count=f"{MAX_ROWS:,}"
            )
        rows.append(_point(row, lines.line_num))
    return rows


def read_points(data):
    """Return (X, y) from the bytes of a CSV file with the columns x1, x2, label (a class, 0 to 3),
    at most MAX_ROWS rows inside the plane shown; raise ValueError saying what is wrong, and on
    which line. Read line by line with the csv module, so a wrong first line is refused before the
    rest is looked at, and a line with a value too many is refused rather than read shifted."""
    lines = csv.reader(io.StringIO(_text(data)))
    try:
        _check_header(next(lines, []))
        rows = _rows(lines)
    except csv.Error as error:
        raise Refused(
            N_("Line {line}: this line cannot be read as comma-separated values."), line=lines.line_num
        ) from error
    if not rows:
        raise Refused(N_("The file has no points: only the line of column names."))
    numbers = np.array(rows, dtype=float)
    return numbers[:, :2], numbers[:, 2].astype(int)


def points_csv(X, y):
    """Return points (X, y) as CSV text with the columns x1, x2, label: what read_points reads."""
    return pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "label": y}).to_csv(index=False, float_format="%.6g")
