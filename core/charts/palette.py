"""Every colour the charts and pictures use, named once by what it means.

Altair takes the hex strings; pictures built pixel by pixel take `rgb(colour)`. Changing a colour
here (for contrast, or for colour-blind readers) changes it everywhere.
"""
CURRENT = "#e4572e"  # the learner's own choice; also "this raised the score"
BEST = "#17bebb"  # the reference answer
INK = "#2e4057"  # points, lines and labels drawn over a chart
MUTED = "#9aa5b1"  # bars that are not highlighted
FADED = "#c9c9c9"  # "no" cells, the curve being compared against
MISTAKE = "#b00020"  # counts of wrong answers
PAPER = "#f7f7f7"  # the neutral middle of a diverging scale
WHITE = "#ffffff"
CLASS_0 = "#f28e2b"  # orange: class 0, a negative weight, a neuron's low output
CLASS_1 = "#2f6fb0"  # blue: class 1, a positive weight, a neuron's high output
CLASS_0_EDGE = "#c45a00"  # the outline of a class-0 point, darker than its fill
CLASS_1_EDGE = "#174a80"
POSITIVE = "#ff572e"  # weight pictures and saliency: ink here raises the sum
NEGATIVE = "#2e73ff"  # ink here lowers it


def rgb(colour):
    """Return "#rrggbb" as an (r, g, b) tuple of 0–255 integers."""
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
