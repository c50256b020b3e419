"""The hidden-layers playground's controls and state (lesson 5), declared once."""

from core.i18n import N_, sentence
from core.lessons import playground, playground_data
from ui.state import Controls, Multi, Number, Select, Slider, State, Toggle

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
