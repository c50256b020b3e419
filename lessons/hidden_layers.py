"""Lesson 5: hidden layers, and why they let a network bend its decision boundary."""

import dataclasses

import streamlit as st

from core.code import networks as code
from core.i18n import N_, _, told
from core.lessons import playground, playground_data, playground_points
from ui.code import code_section
from ui.page import header, lesson_footer, try_this
from ui.playground import own_points_box, train_epochs, training_view
from ui.playground_controls import (
    ACTIVATION,
    ALPHA,
    BATCH,
    CONTROLS,
    DATASET,
    FEATURES,
    LAYERS,
    NETWORK,
    NEURONS,
    NEW_CLASS,
    NOISE,
    PLAY,
    POINTS,
    PREVIOUS,
    PROBLEM,
    RATE,
    SEED,
    STEPPING,
    SURFACE,
    TEST_SHARE,
    WEIGHTS,
)
from ui.state import bump, draw, is_held, setter

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


buttons = st.columns([1.1, 1.6, 0.9, 1.4])  # room for "Abspielen", the longest "Play"
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
