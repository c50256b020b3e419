"""Lesson 5: hidden layers, and why they let a network bend its decision boundary."""
import dataclasses
import json

import streamlit as st

from core.lessons import playground
from core.charts import playground as playground_charts
from ui.page import header, lesson_footer, try_this
from ui.state import Controls, Multi, Number, Select, Slider, State, Toggle, bump

DATASET = Select("dataset", "Data set", playground.DATASETS, "XOR quadrants",
                 "Which pattern of orange (0) and blue (1) points the network must separate.")
NOISE = Slider("noise", "Noise", 0.0, 0.5, 0.1, 0.01, "How far points stray from the clean pattern.")
TEST_SHARE = Slider("test_share", "Test share", 0.1, 0.9, 0.3, 0.05,
                    "The share of points kept out of training, to check the network on points it never saw.")
SEED = Number("seed", "Data seed", 0, 10_000, 0, 1, "Which random sample of points to draw.")
LAYERS = Slider("layers", "Hidden layers", 0, 6, 1, 1,
                "Layers between the inputs and the output. 0 means a single neuron: one straight line.")
ACTIVATION = Select("activation", "Activation", tuple(playground.ACTIVATIONS), "tanh",
                    "What each hidden neuron does with its weighted sum z. 'linear' does nothing, so "
                    "stacking linear layers still only draws a straight line.")
RATE = Select("rate", "Learning rate", (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0), 0.03,
              "The gradient-descent step size. Too small crawls; too large makes the loss jump about or blow up.")
BATCH = Select("batch", "Mini-batch size", (1, 5, 10, 30, 100), 10, "How many points each gradient step looks at.")
ALPHA = Select("alpha", "L2 regularisation", (0.0, 0.0001, 0.001, 0.01, 0.1, 1.0), 0.0,
               "A penalty on large weights: smoother boundaries, less over-fitting; too much and it cannot fit at all.")
FEATURES = Multi("features", "Input features", tuple(playground.FEATURES), ("x1", "x2"),
                 "What the network is given about each point. With x1² and x2², even a single neuron can draw a circle.")
NEURONS = tuple(Number(f"neurons_{i}", f"Layer {i + 1}", 1, 16, 4, 1, "Neurons in this hidden layer (1 to 16).")
                for i in range(LAYERS.max_value))
PLAY = Toggle("play", "Play", False, "Keep training, a few epochs at a time, until you pause.",
              share=False)  # a shared link opens paused
CONTROLS = Controls(DATASET, NOISE, TEST_SHARE, SEED, LAYERS, *NEURONS, ACTIVATION, RATE, BATCH, ALPHA, FEATURES, PLAY)
EPOCHS_PER_TICK = 10
TICK_SECONDS = 1.0  # leaves the page idle most of each second, so Pause and the other widgets respond
# the network being trained, with the settings it was built from: (settings, Playground)
NETWORK = State("playground")

header("Hidden layers",
       "Put **hidden layers** of neurons between the inputs and the output, and the network can bend "
       "its boundary into curves and closed shapes.",
       "A single neuron can only draw one straight line through the plane, which is why the perceptron "
       "could never learn XOR. In a hidden layer each neuron draws its own line; the next layer "
       "combines them.", CONTROLS)

data_column, network_column = st.columns(2, gap="large")
with data_column:
    st.subheader("Data")
    dataset_name = DATASET()
    noise, test_share = NOISE(), TEST_SHARE()
    seed_column, button_column = st.columns([2, 1])
    seed = int(SEED(seed_column))
    button_column.button("New data", icon=":material/casino:", on_click=bump(SEED),
                         help="Draw a fresh sample of points (adds one to the seed).")
    features = tuple(FEATURES()) or FEATURES.default
with network_column:
    st.subheader("Network")
    layers = int(LAYERS())
    size_columns = st.columns(max(layers, 1))
    hidden = tuple(int(NEURONS[i](size_columns[i])) for i in range(layers))
    activation, rate = ACTIVATION(), RATE()
    batch, alpha = BATCH(), ALPHA()

X, y = playground.make_dataset(dataset_name, 300, noise, seed)
data = playground.split(X, y, test_share, seed)
wanted = playground.Playground(hidden=hidden, activation=activation, learning_rate=rate, batch_size=batch,
                               alpha=alpha, features=features, seed=seed)
settings = (dataset_name, noise, test_share, seed, {k: v for k, v in dataclasses.asdict(wanted).items()
                                                    if not k.endswith("_")})
if NETWORK.get() is None or NETWORK.get()[0] != settings:
    NETWORK.set((settings, wanted))
model = NETWORK.get()[1]

buttons = st.columns([1, 1, 1, 3])
buttons[0].button("Train 10 epochs", icon=":material/skip_next:", type="primary",
                  on_click=lambda: model.train(data, 10))
buttons[1].button("Reset", icon=":material/restart_alt:",
                  on_click=NETWORK.reset)
playing = PLAY(buttons[2])
buttons[3].caption("Changing any setting starts a fresh, untrained network.")


@st.fragment(run_every=TICK_SECONDS if playing else None)
def training_view():
    if playing and not model.diverged_:
        model.train(data, EPOCHS_PER_TICK)
    history = model.history_
    scores = st.columns(3)
    scores[0].metric("Epoch", model.epoch)
    if history["train_loss"]:
        scores[1].metric("Training accuracy", f"{history['train_accuracy'][-1]:.0%}")
        scores[2].metric("Test accuracy", f"{history['test_accuracy'][-1]:.0%}")
    if model.diverged_:
        st.error(f"**Diverged** at epoch {model.epoch + 1}: with learning rate {model.learning_rate:g} the "
                 "steps overshoot so far that the loss blew up, and the weights are now meaningless. "
                 "Lower the learning rate and press Reset.", icon=":material/trending_up:")
    elif model.unstable:
        st.warning(f"**Unstable**: with learning rate {model.learning_rate:g} the loss keeps jumping above "
                   f"{playground.UNSTABLE_LOSS:.2f}, worse than answering 50/50 for every point. The steps "
                   "overshoot the valley; a smaller learning rate will settle.", icon=":material/show_chart:")
    if model.epoch == 0:
        st.info("Press **Train 10 epochs** or **Play** to start training.", icon=":material/play_arrow:")
        return
    st.download_button("Download this network (JSON)", json.dumps(model.export()), "playground-network.json",
                       mime="application/json", icon=":material/download:",
                       help="Its features, layer sizes, activation, weights and biases, to use elsewhere.")
    picture, curves = st.columns([3, 2], gap="large")
    picture.altair_chart(playground_charts.boundary(model.grid(), data), width="stretch")
    picture.caption("Background: the network's output, from orange (class 0) through white (unsure) to "
                    "blue (class 1). Filled points are training data, hollow ones test data.")
    with curves:
        st.altair_chart(playground_charts.loss_curves(history), width="stretch")
        layer_sizes = [len(features), *hidden, 1]
        st.altair_chart(playground_charts.network(layer_sizes, model.model_.coefs_, features), width="stretch")
    if hidden:
        st.markdown("**What each hidden neuron responds to** (blue: high output, orange: low), layer by layer")
        for number, maps in enumerate(model.neuron_maps(), start=1):
            st.image([playground_charts.neuron_image(values) for values in maps],
                     caption=[f"layer {number}, neuron {i + 1}" for i in range(len(maps))],
                     alt=[f"Where neuron {i + 1} of layer {number} fires over the plane" for i in range(len(maps))])


training_view()

try_this(
    "XOR with 0 hidden layers: train as long as you like, a single straight line never gets past about "
    "three quadrants of four, the perceptron's failure again.",
    "Now 1 hidden layer of 2 to 4 neurons: each neuron draws one line, and together they carve out the quadrants.",
    "Two spirals needs more: try 3 layers of 8 with tanh and watch the boundary wind round.",
    "Circle in a ring with 0 hidden layers fails, until you add the features x1² and x2².",
    "Set the learning rate to 3 or 10: the loss jumps about or blows up.",
)
lesson_footer(CONTROLS)
