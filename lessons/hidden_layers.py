"""Lesson 5: hidden layers, and why they let a network bend its decision boundary."""

import dataclasses

import streamlit as st

from core.code import networks as code
from core.i18n import N_, _, sentence, told
from core.lessons import playground, playground_data, playground_points
from ui.code import code_section
from ui.page import header, lesson_footer, try_this
from ui.playground import own_points_box, train_epochs, training_view
from ui.state import Controls, Multi, Number, Select, Slider, State, Toggle, bump, draw, is_held, setter

PROBLEM = Select(
    "problem",
    N_("Problem"),
    (N_("Classification"), N_("Regression")),
    "Classification",
    N_("Classification: which class is each point? Regression: what number belongs at each point?"),
    translated=True,
)
DATASET = Select(
    "dataset",
    N_("Data set"),
    (*playground_data.DATASETS, playground_data.ONLY_YOURS),
    "XOR quadrants",
    N_(
        "Which pattern of classes the network must separate: orange circles (0), blue squares (1), and "
        "with three or four blobs purple triangles (2) and green diamonds (3). Or only points you add."
    ),
    translated=True,
)
SURFACE = Select(
    "surface",
    N_("Surface to fit"),
    playground_data.SURFACES,
    "Hills and hollows",
    N_("Which landscape of numbers the network must learn: a tilted plane, or two hills and two hollows."),
    translated=True,
)
NOISE = Slider("noise", N_("Noise"), 0.0, 0.5, 0.1, 0.01, N_("How far points stray from the clean pattern."))
TEST_SHARE = Slider(
    "test_share",
    N_("Test share"),
    0.1,
    0.9,
    0.3,
    0.05,
    N_("The share of points kept out of training, to check the network on points it never saw."),
)
SEED = Number("seed", N_("Data seed"), 0, 10_000, 0, 1, N_("Which random sample of points to draw."))
LAYERS = Slider(
    "layers",
    N_("Hidden layers"),
    0,
    6,
    1,
    1,
    N_(
        "Layers between the inputs and the output. 0 means none: each output neuron draws one straight line "
        "(one neuron for two classes, one per class for three or four)."
    ),
)
ACTIVATION = Select(
    "activation",
    N_("Activation"),
    tuple(playground.ACTIVATIONS),
    "tanh",
    N_(
        "What each hidden neuron does with its weighted sum z. 'linear' does nothing, so "
        "stacking linear layers still only draws a straight line."
    ),
)
RATE = Select(
    "rate",
    N_("Learning rate"),
    (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0),
    0.03,
    N_("The gradient-descent step size. Too small crawls; too large makes the loss jump about or blow up."),
)
BATCH = Select(
    "batch", N_("Mini-batch size"), (1, 5, 10, 30, 100), 10, N_("How many points each gradient step looks at.")
)
ALPHA = Select(
    "alpha",
    N_("L2 regularisation"),
    (0.0, 0.0001, 0.001, 0.01, 0.1, 1.0),
    0.0,
    N_("A penalty on large weights: smoother boundaries, less over-fitting; too much and it cannot fit at all."),
)
FEATURES = Multi(
    "features",
    N_("Input features"),
    tuple(playground.FEATURES),
    ("x1", "x2"),
    N_("What the network is given about each point. With x1² and x2², even a single neuron can draw a circle."),
)
NEURONS = tuple(
    Number(
        f"neurons_{i}",
        sentence(N_("Layer {layer}"), layer=i + 1),
        1,
        16,
        4,
        1,
        N_("Neurons in this hidden layer (1 to 16)."),
    )
    for i in range(LAYERS.max_value)
)
WEIGHTS = Number(
    "weights",
    N_("Starting weights"),
    0,
    10_000,
    0,
    1,
    N_(
        "Which random starting weights the network gets. The same number gives exactly the same start, "
        "so two runs can be compared fairly."
    ),
)
NEW_CLASS = Select(
    "new_class",
    N_("Class of a clicked point"),
    tuple(range(playground_data.MAX_CLASSES)),
    0,
    N_("Click the plane to add a point of this class."),
    share=False,
)
PLAY = Toggle(
    "play", N_("Play"), False, N_("Keep training, a few epochs at a time, until you pause."), share=False
)  # a shared link opens paused
CONTROLS = Controls(
    PROBLEM,
    DATASET,
    SURFACE,
    NOISE,
    TEST_SHARE,
    SEED,
    LAYERS,
    *NEURONS,
    ACTIVATION,
    RATE,
    BATCH,
    ALPHA,
    FEATURES,
    WEIGHTS,
    NEW_CLASS,
    PLAY,
)
# the network being trained, with the settings it was built from: (settings, Playground)
NETWORK = State("playground")
PREVIOUS = State("playground_previous")  # the last run from the same start: (start, history, its steps in words)
# Settings that change how each step goes, not where training starts: the same starting weights and
# the same data, so a run with another of them is compared with the one before.
STEPPING = ("learning_rate", "batch_size", "alpha")
POINTS = State("playground_points", list)  # the learner's own points: [x1, x2, class]

header(
    N_("Hidden layers"),
    _(
        "Put **hidden layers** of neurons between the inputs and the output, and the network can bend "
        "its boundary into curves and closed shapes."
    ),
    _(
        "A single neuron can only draw one straight line through the plane, which is why the perceptron "
        "could never learn XOR. In a hidden layer each neuron draws its own line; the next layer "
        "combines them. The **input layer** is no neurons at all, only the numbers given (x1, x2 and the "
        "features you tick); **hidden layers** are the neurons in between; the **output layer** gives the "
        'answer. A hidden neuron is not a yes/no question someone chose ("is it round?"): each computes a '
        "weighted sum of all the numbers before it and passes on a number, and what it responds to is learnt."
    ),
    CONTROLS,
)

data_column, network_column = st.columns(2, gap="large")
with data_column:
    st.subheader(_("Data"))
    regression = draw(PROBLEM) == "Regression"
    dataset_name = draw(SURFACE) if regression else draw(DATASET)
    noise, test_share = draw(NOISE), draw(TEST_SHARE)
    seed_column, button_column = st.columns([2, 1])
    seed = int(draw(SEED, seed_column))
    if not is_held(SEED):  # under a teacher's link that holds the seed, it would change nothing
        button_column.button(
            _("New data"),
            icon=":material/casino:",
            on_click=bump(SEED),
            help=_("Draw a fresh sample of points (adds one to the seed)."),
        )
    features = tuple(draw(FEATURES)) or FEATURES.default
with network_column:
    st.subheader(_("Network"))
    layers = int(draw(LAYERS))
    size_columns = st.columns(max(layers, 1))
    hidden = tuple(int(draw(NEURONS[i], size_columns[i])) for i in range(layers))
    activation, rate = draw(ACTIVATION), draw(RATE)
    batch, alpha = draw(BATCH), draw(ALPHA)
    weights_column, new_weights_column = st.columns([2, 1])
    weights_seed = int(draw(WEIGHTS, weights_column))
    if not is_held(WEIGHTS):
        new_weights_column.button(
            _("New start"),
            icon=":material/casino:",
            on_click=bump(WEIGHTS),
            help=_("Other random starting weights (adds one to the starting-weights number)."),
        )

X, y = playground_data.make_dataset(dataset_name, 300, noise, seed)
# a teacher's link that holds the data set holds the points too, unless it asks for the students' own
own_points = not regression and (not is_held(DATASET) or dataset_name == playground_data.ONLY_YOURS)
points = POINTS.get() if own_points else []
X, y = playground_data.with_points(X, y, points)
with data_column:
    if own_points:
        new_class = own_points_box(NEW_CLASS, POINTS, (X, y), setter(DATASET.key, playground_data.ONLY_YOURS))
classes = 0 if regression else playground_data.classes_in(y)
wanted = playground.Playground(
    hidden=hidden,
    activation=activation,
    learning_rate=rate,
    batch_size=batch,
    alpha=alpha,
    features=features,
    seed=weights_seed,
    classes=classes,
)
settings = (
    dataset_name,
    noise,
    test_share,
    seed,
    tuple(map(tuple, points)),
    {k: v for k, v in dataclasses.asdict(wanted).items() if not k.endswith("_")},
)
start = (*settings[:5], {k: v for k, v in settings[5].items() if k not in STEPPING})
try:
    data = playground_data.split(X, y, test_share, seed, classes)
except ValueError as problem:
    st.info(told(problem), icon=":material/add_location_alt:")
    data = playground_data.Split(X, y, X[:0], y[:0])  # drawn, to click on, but not trained
if NETWORK.get() is None or NETWORK.get()[0] != settings:
    NETWORK.set((settings, wanted))
model = NETWORK.get()[1]
trainable = len(data.y_test) > 0


def again():
    """Keep this run's curves to compare with, and start over from exactly the same weights."""
    PREVIOUS.set(
        (
            start,
            model.history_,
            _("learning rate {rate}, mini-batch {batch}, L2 {alpha}").format(
                rate=f"{model.learning_rate:g}", batch=model.batch_size, alpha=f"{model.alpha:g}"
            ),
        )
    )
    NETWORK.reset()


def add_point(x1, x2):
    playground_points.add(POINTS.get(), x1, x2, new_class)  # refused past the limit: the box says so


buttons = st.columns([1.1, 1.6, 0.7, 1.6])
buttons[0].button(
    _("Train 10 epochs"),
    icon=":material/skip_next:",
    type="primary",
    disabled=not trainable,
    on_click=lambda: train_epochs(model, data, 10),
)
buttons[1].button(
    _("Run again from the same start"),
    icon=":material/replay:",
    on_click=again,
    help=_("Start again from the very same starting weights; this run's loss stays drawn, faded."),
)
playing = draw(PLAY, buttons[2]) and trainable
buttons[3].caption(_("Changing any setting, or adding points, starts a fresh, untrained network."))
previous = PREVIOUS.get()
seen = len(points)
same_start = previous and previous[0] == start
training_view(
    model,
    data,
    playing,
    previous[1] if same_start else None,
    add=add_point if own_points else None,
    changed=lambda: len(POINTS.get()) != seen,
    previous_said=previous[2] if same_start else "",
)

code_section(code.hidden_layers_page(model, dataset_name, noise, test_share, seed, points))
try_this(
    _(
        "XOR with 0 hidden layers: train as long as you like, a single straight line never gets past about "
        "three quadrants of four, the perceptron's failure again."
    ),
    _("Now 1 hidden layer of 2 to 4 neurons: each neuron draws one line, and together they carve out the quadrants."),
    _("Two spirals needs more: try 3 layers of 8 with tanh and watch the boundary wind round."),
    _("Circle in a ring with 0 hidden layers fails, until you add the features x1² and x2²."),
    _(
        "Train, then press Run again from the same start, make the learning rate larger and train again: the first "
        "run's loss stays drawn, faded, to compare."
    ),
    _("Choose Only your points and click a few of each class onto the plane; then see how few points fool it."),
    _("Regression, Hills and hollows: how many hidden neurons does it take to fit two hills and two hollows?"),
)
lesson_footer(CONTROLS)
