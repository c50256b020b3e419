"""Every colour the charts and pictures use, named once by what it means.

Altair takes the hex strings; pictures built pixel by pixel take `rgb(colour)`. Changing a colour
here changes it everywhere. The pairs that must be told apart (yours and the best, class 0 and
class 1, for and against) are Okabe and Ito's colours, which stay distinct under the common kinds
of colour blindness; every chart also gives them a second cue (a dash, a shape or a word).
"""

CURRENT = "#d55e00"  # the learner's own choice (vermillion)
BEST = "#009e73"  # the reference answer (bluish green)
INK = "#2e4057"  # points, lines and labels drawn over a chart
MUTED = "#9aa5b1"  # bars that are not highlighted
FADED = "#c9c9c9"  # "no" cells, the curve being compared against
MISTAKE = "#b00020"  # counts of wrong answers
PAPER = "#f7f7f7"  # the neutral middle of a diverging scale
WHITE = "#ffffff"
CLASS_0 = "#e69f00"  # orange: class 0, a negative weight, a neuron's low output
CLASS_1 = "#0072b2"  # blue: class 1, a positive weight, a neuron's high output
CLASS_0_EDGE = "#8a5f00"  # the outline of a class-0 point, darker than its fill
CLASS_1_EDGE = "#004470"
CLASS_2 = "#cc79a7"  # reddish purple: a third class
CLASS_3 = "#009e73"  # bluish green: a fourth class
CLASS_2_EDGE = "#7a3d63"
CLASS_3_EDGE = "#005a42"
POSITIVE = "#d55e00"  # weight pictures and saliency: ink here raises the sum
NEGATIVE = "#0072b2"  # ink here lowers it


def rgb(colour):
    """Return "#rrggbb" as an (r, g, b) tuple of 0–255 integers."""
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
