"""The story in order: one entry per lesson, used by the router, the home page, the lesson
navigation and the tests that every lesson gets (docs/adding-a-lesson.md)."""

from dataclasses import dataclass

from core.i18n import N_


@dataclass(frozen=True)
class Lesson:
    # url_path is the lesson's address (/loss); by custom the file's name without ".py". The title
    # and summary are English, marked N_() for the catalogs: translate them where they are shown.
    path: str
    title: str
    icon: str
    url_path: str
    summary: str
    needs_tensorflow: bool = False  # only such a page may load TensorFlow; the others are tested for it
    opening: tuple = ()  # buttons a visitor presses first to reach the working view (tests press them too)


HOME = Lesson(
    "lessons/home.py", N_("Start here"), ":material/home:", "home", N_("The learning path through the explorer.")
)

LESSONS = (
    Lesson(
        "lessons/loss.py",
        N_("A line and its loss"),
        ":material/show_chart:",
        "loss",
        N_("Draw a line through data and measure how wrong it is with a loss."),
    ),
    Lesson(
        "lessons/perceptron.py",
        N_("The perceptron"),
        ":material/call_split:",
        "perceptron",
        N_("Weigh two yes/no facts to decide whether to go to France, and train it on logic gates."),
    ),
    Lesson(
        "lessons/sigmoid.py",
        N_("The sigmoid neuron"),
        ":material/airline_stops:",
        "sigmoid",
        N_("Soften the hard yes/no step so a small change in a weight makes a small change in the output."),
    ),
    Lesson(
        "lessons/descent.py",
        N_("Gradient descent"),
        ":material/downhill_skiing:",
        "descent",
        N_("Roll a marble downhill on a loss surface, then fit the line of lesson 1 the same way."),
    ),
    Lesson(
        "lessons/hidden_layers.py",
        N_("Hidden layers"),
        ":material/account_tree:",
        "hidden_layers",
        N_("Add layers of neurons and watch the decision boundary bend around XOR, circles and spirals."),
    ),
    Lesson(
        "lessons/backprop.py",
        N_("Backpropagation"),
        ":material/keyboard_double_arrow_left:",
        "backprop",
        N_("Follow one example forward through a tiny network, then its error backward to every weight's slope."),
    ),
    Lesson(
        "lessons/convolution.py",
        N_("Convolution"),
        ":material/filter_center_focus:",
        "convolution",
        N_("Slide one small filter over your own digit, step by step, then pool: how the handwriting network looks."),
    ),
    Lesson(
        "lessons/mnist.py",
        N_("Handwriting recognition"),
        ":material/draw:",
        "mnist",
        N_("Train a network on thousands of handwritten digits, test it, then draw your own digit."),
        needs_tensorflow=True,
    ),
    Lesson(
        "lessons/class_lab.py",
        N_("Class lab"),
        ":material/groups:",
        "class_lab",
        N_("Pool your class's own handwriting and measure how well the network reads it, next to MNIST."),
        needs_tensorflow=True,
        opening=("Make a room for my class",),
    ),
)


def lesson_at(url_path):
    """Return (index, lesson) of the lesson served at `url_path`, or (None, None)."""
    return next(((index, lesson) for index, lesson in enumerate(LESSONS) if lesson.url_path == url_path), (None, None))


def page_at(url_path):
    """The page served at `url_path`, the home page or a lesson, or None."""
    return next((page for page in (HOME, *LESSONS) if page.url_path == url_path), None)
