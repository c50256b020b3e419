"""Lesson 6: handwriting recognition. Train a Keras network on MNIST, test it, draw a digit."""
import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from core import explain, mnist_charts, mnist_model, preprocess
from ui import mnist as shared
from ui.page import header, lesson_footer, predict_first, try_this, verdict
from ui.state import Controls, Select, Slider, Steps, Text, Toggle, bump

PRESET = Select("preset", "Network", tuple(mnist_model.PRESETS), "convolutional",
                "Which kind of network to train. Each comes with settings that work; change them in the form.",
                mnist_model.PRESET_NAMES)
INPUT = Select("input", "Digit to read", ("Draw", "Upload a photo", "Random test digit"), "Draw",
               "Draw with the mouse, upload a picture of a handwritten digit, or pick one from the test set.")
BATCH_SIZES = (10, 32, 64, 128, 256, 512)
LEARNING_RATES = (0.0003, 0.001, 0.003, 0.005, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
ACTIVATIONS = ("relu", "sigmoid", "tanh")


def form_controls(preset):
    """The training form's controls for one kind of network, starting from its preset."""
    defaults = mnist_model.PRESETS[preset]
    return (
        Text(f"hidden_{preset}", "Filters per layer" if preset == "convolutional" else "Neurons per hidden layer",
             ", ".join(str(size) for size in defaults.hidden),
             "Comma-separated sizes, one per layer. The convolutional network takes 1 to 3 layers of filters.",
             pattern=r"\d+(,\d+)*", rule="must be sizes separated by commas, such as 128,64"),
        Select(f"activation_{preset}", "Activation", ACTIVATIONS, defaults.activation,
               "The function each neuron applies to its weighted sum z."),
        Slider(f"epochs_{preset}", "Epochs", *mnist_model.LIMITS["epochs"], defaults.epochs, 1,
               "How many times training passes over all the training digits."),
        Steps(f"batch_{preset}", "Mini-batch size", BATCH_SIZES, defaults.batch_size,
              "How many digits each gradient step looks at."),
        Steps(f"rate_{preset}", "Learning rate", LEARNING_RATES, defaults.learning_rate,
              "The step size η of gradient descent."),
    )


FORMS = {preset: form_controls(preset) for preset in mnist_model.PRESETS}
RAW_RESIZE = Toggle("straight", "Resize straight to 28 × 28", False,
                    "Skip MNIST's recipe (crop, scale to 20 × 20, centre by mass) and shrink the whole square "
                    "in one go, as many drawing demos do. Compare the prediction.")
CONTROLS = Controls(PRESET, INPUT, RAW_RESIZE, *(control for form in FORMS.values() for control in form))
UNSURE_BELOW = 0.6  # below this top probability the page says the network is not sure
POLL_SECONDS = 2.0  # training progress refresh: every poll of every open page costs server time
# Page state, declared once: the settings last sent to training, per kind of network (the
# preset's own until Train is pressed), the canvas generation (bumped by Clear to empty the
# canvas) and the random test digit's seed.
st.session_state.setdefault("mnist_configs", {})
st.session_state.setdefault("canvas_generation", 0)
st.session_state.setdefault("test_digit_seed", 0)

header("Handwriting recognition",
       "Everything so far comes together here: a network of many neurons, trained by gradient "
       "descent on thousands of examples, learns to read handwritten digits.", controls=CONTROLS)
dataset = shared.data()
for warning in dataset.warnings:
    st.warning(f"A data source did not work, so the next one was used. {warning}", icon=":material/cloud_off:")
st.caption(f":material/database: Data: {dataset.source}, with {len(dataset.x_train):,} training digits "
           f"and {len(dataset.x_test):,} test digits.")

st.header("1. The data", divider="gray")
left, right = st.columns([1, 1], gap="large")
left.markdown(
    "Each image is 28 × 28 = **784 pixels**, and each pixel is one input to the network: 0 for "
    "white paper up to 1 for full ink (shown here as white on black, as MNIST stores it). The "
    "60,000 training digits were written by about **250 people**. The **test set** is kept apart, "
    "from other writers, so we judge the network on handwriting it has never seen.")
right.image(mnist_charts.sample_grid(dataset.x_train, dataset.y_train), width=320,
            caption="Ten random training digits of each class, 0 to 9.")

st.header("2. Train", divider="gray")
preset = PRESET(st)
defaults = mnist_model.PRESETS[preset]
with st.form("train"):
    st.markdown(f"**{mnist_model.PRESET_NAMES[preset]}**")
    hidden_text, activation, epochs, batch_size, learning_rate = (
        control(column) for control, column in zip(FORMS[preset], st.columns(5)))
    submitted = st.form_submit_button("Train", icon=":material/model_training:", type="primary")
    # a link with this network's settings shows that network, as if they had been submitted
    linked = preset not in st.session_state["mnist_configs"] and any(
        control.key in st.query_params for control in FORMS[preset])
    if submitted or linked:
        if linked:  # remembered now, so that a link's bad settings are reported once
            st.session_state["mnist_configs"][preset] = defaults
        try:
            hidden = tuple(int(part) for part in hidden_text.replace(" ", "").split(",") if part)
            st.session_state["mnist_configs"][preset] = mnist_model.validate(mnist_model.Config(
                preset=preset, hidden=hidden, activation=activation, epochs=epochs, batch_size=batch_size,
                learning_rate=learning_rate))
        except ValueError as error:
            st.error(f"These settings cannot be trained: {error}", icon=":material/error:")
config = st.session_state["mnist_configs"].get(preset, defaults)
st.caption(f"Showing: {mnist_model.PRESET_NAMES[config.preset]}, layers {config.hidden}, {config.activation}, "
           f"{config.epochs} epochs, mini-batch {config.batch_size}, learning rate {config.learning_rate:g}.")

state = shared.model_for(config, dataset)
if state.rebuilt_after_corruption:
    st.warning("The saved copy of this network could not be read, so it was discarded and is being "
               "trained again.", icon=":material/build:")


@st.cache_data(max_entries=256, show_spinner=False)
def history_spec(history):
    """The learning curves' Vega-Lite spec, built once per new epoch, not on every poll."""
    return mnist_charts.history_chart(history).to_dict()


@st.fragment(run_every=POLL_SECONDS)
def training_progress(job, epochs):
    status = job.status()
    if status["state"] == "done":
        st.rerun(scope="app")
    if status["state"] == "failed":
        st.error(f"Training failed: {status['error']}", icon=":material/error:")
        return
    history = status.get("history") or {"loss": []}
    done = len(history["loss"])
    within = status.get("step", 0) / max(status.get("steps", 1), 1) if status["state"] == "training" else 0
    st.progress(min(1.0, (done + within) / epochs),
                text=f"{status['state'].capitalize()}: epoch {min(done + 1, epochs)} of {epochs}, "
                     f"{status['elapsed']:.0f} s so far. You can keep reading or change page: "
                     "training goes on, and everyone asking for this network shares this run.")
    if done:
        st.vega_lite_chart(history_spec(history), width="stretch")


if isinstance(state, shared.Training):
    training_progress(state.job, config.epochs)
    st.info("The test results and the drawing pad appear when training finishes.", icon=":material/hourglass_top:")
    lesson_footer("pages/mnist.py", CONTROLS)
    st.stop()

metadata, model = state.metadata, state.model
history, evaluation = metadata["history"], metadata["evaluation"]
if state.in_memory_only:
    st.info("The model folder is read-only, so this network is kept in memory only: it will be "
            "trained again after the server restarts.", icon=":material/memory:")
st.success(f"Trained in {history['seconds']:.0f} s on {metadata['n_train']:,} digits "
           f"({metadata['data_source']}). Saved networks load instantly next time.", icon=":material/check_circle:")
st.altair_chart(mnist_charts.history_chart(history), width="stretch")
st.caption("Validation digits are held out of training. When training accuracy keeps rising but "
           "validation accuracy stops, the network has started memorising instead of learning.")

st.header("3. Evaluate", divider="gray")
st.metric("Test accuracy", f"{evaluation['accuracy']:.2%}",
          help=f"Share of the {evaluation['n_test']:,} test digits read correctly.")
st.markdown(f"On **{evaluation['n_test']:,} digits it never saw**, the network reads "
            f"{round(evaluation['accuracy'] * evaluation['n_test']):,} correctly.")
left, right = st.columns(2)
left.markdown("**Accuracy per digit**")
left.altair_chart(mnist_charts.per_class_chart(evaluation["per_class"]), width="stretch")
right.markdown("**Confusion matrix**: which digit was read as which (red: mistakes)")
right.altair_chart(mnist_charts.confusion_chart(evaluation["confusion"]), width="content")
if evaluation["mistakes"]:
    st.markdown("**Its most confident mistakes**")
    gallery = st.columns(8)
    for slot, mistake in zip(gallery * 3, evaluation["mistakes"]):
        slot.image(mnist_charts.enlarge(dataset.x_test[mistake["index"]] / 255, 84),
                   caption=f"true {mistake['true']}, read {mistake['predicted']} ({mistake['confidence']:.0%})")

@st.fragment
def predict(state, dataset):
    """Read a drawn, uploaded or test digit, and look inside the network. A fragment: drawing
    reruns only this part."""
    st.header("4. Predict", divider="gray")
    source = INPUT(st)
    picture, image, truth, problem = None, None, None, None  # picture: a drawing or photo, as given
    left, right = st.columns([1, 1], gap="large")
    with left:
        if source == "Draw":
            drawing = st_canvas(stroke_width=18, stroke_color="#FFFFFF", background_color="#000000",
                                height=280, width=280, drawing_mode="freedraw", return_image_data=True,
                                key=f"canvas_{st.session_state['canvas_generation']}")
            st.caption("Draw one digit with the mouse (or a finger), as large as the square allows.")
            st.button("Clear", icon=":material/delete:", on_click=bump("canvas_generation"),
                      help="Wipe the canvas and start again.")
            picture = drawing.image_data
        elif source == "Upload a photo":
            upload = st.file_uploader("A PNG or JPEG of one handwritten digit, at most 5 MB",
                                      type=["png", "jpg", "jpeg"],
                                      help="Dark ink on light paper or light ink on a dark background both work.")
            if upload is not None:
                try:
                    picture = preprocess.read_upload(upload.getvalue())
                except ValueError as error:
                    problem = str(error)
        else:
            st.button("Another random test digit", icon=":material/casino:", on_click=bump("test_digit_seed"))
            index = int(np.random.default_rng(st.session_state["test_digit_seed"]).integers(len(dataset.x_test)))
            image, truth = dataset.x_test[index] / 255.0, int(dataset.y_test[index])
            st.caption(f"Test digit number {index:,}, written as a {truth}.")
        straight = source != "Random test digit" and RAW_RESIZE(st)
    steps = preprocess.mnist_steps(picture) if picture is not None else None
    if steps is not None:
        image = preprocess.naive_resize(picture) if straight else steps.final

    with right:
        if problem:
            st.error(problem, icon=":material/broken_image:")
            return
        if image is None:
            st.info("Draw a digit to see what the network reads." if source == "Draw"
                    else "Nothing to read yet: upload a picture of one handwritten digit.",
                    icon=":material/draw:")
            return
        why = explain.explain_digit(shared.explainer(state.key, state.model),
                                    shared.neighbours(state.key, state.model, dataset), image)
        if truth is not None and not predict_first(
                "digit", "Which digit will the network read?", tuple(str(digit) for digit in range(10)),
                str(why.predicted), (state.key, st.session_state["test_digit_seed"])):
            return
        verdict("digit")
        probabilities = why.inside.probabilities
        seen, numbers = st.columns([1, 1])
        seen.image(mnist_charts.enlarge(image), caption="What the network sees (28 × 28)"
                   + (", resized straight" if straight else ""))
        numbers.metric("Prediction", str(why.predicted))
        numbers.metric("Confidence", f"{probabilities[why.predicted]:.1%}")
        if probabilities[why.predicted] < UNSURE_BELOW:
            st.warning(f"Not sure: it could also be a {why.runner_up} ({probabilities[why.runner_up]:.0%}).",
                       icon=":material/help:")
        if truth is not None:
            st.caption("Correct." if why.predicted == truth else f"Wrong: this digit is a {truth}.")
        st.altair_chart(mnist_charts.probability_bars(probabilities), width="stretch")

    look_inside(state, dataset, image, steps, straight, why)


def look_inside(state, dataset, image, steps, straight, why):
    """The views that explain one prediction."""
    st.header("5. Look inside the network", divider="gray")
    st.markdown("Why did it say that? Each tab opens the network at a different place.")
    tabs = st.tabs(["How the digit was prepared", "Activations", "What the first layer looks for",
                    "Which pixels mattered", "Nearest training digits"])
    with tabs[0]:
        if steps is None:
            st.markdown("A test digit is already in MNIST's form: 28 × 28, scaled and centred.")
        else:
            st.markdown("MNIST's digits were made by a recipe: crop to the ink, scale the longer side to "
                        "20 pixels, place it in a 28 × 28 field, then move it so its centre of mass (red) "
                        "sits at the centre (white cross). The network only ever saw digits made this way.")
            columns = st.columns(4)
            columns[0].image(mnist_charts.with_box(steps.ink, steps.box), caption="1. Your drawing; the box holds the ink")
            columns[1].image(mnist_charts.enlarge(steps.boxed, 7 * max(steps.boxed.shape)), caption=f"2. Scaled to {steps.boxed.shape[1]} × {steps.boxed.shape[0]}")
            columns[2].image(mnist_charts.with_centre(steps.placed), caption="3. Placed in 28 × 28")
            columns[3].image(mnist_charts.with_centre(steps.final),
                             caption="4. Moved " + mnist_charts.describe_shift(steps.shift))
            st.caption("Turn on \"Resize straight to 28 × 28\" under the canvas to see what the network reads "
                       "when the whole square is shrunk in one go, as many drawing demos do.")
    inside = why.inside
    with tabs[1]:
        if inside.activations[0][1].ndim == 1:  # a dense network
            st.markdown("Each bar is one hidden neuron: how strongly it fires for this digit.")
            for number, (name, layer_values) in enumerate(inside.activations, start=1):
                st.markdown(f"**Hidden layer {number}** ({len(layer_values)} neurons)")
                st.altair_chart(mnist_charts.activation_bars(layer_values, why.first_layer_top if number == 1 else ()),
                                width="stretch")
            values = inside.activations[0][1]
            st.markdown("The incoming weights of layer 1's most active neurons (coloured above), drawn as "
                        "28 × 28 pictures: red where ink raises the neuron's sum, blue where it lowers it.")
            pictures = shared.first_layer(state.key, state.model)
            st.image([pictures[i] for i in why.first_layer_top],
                     caption=[f"neuron {i + 1}: {values[i]:.2f}" for i in why.first_layer_top])
        else:
            st.markdown("Each small square is one filter's **feature map**: where in the image it found its "
                        "pattern (light: strongly). Deeper layers see larger, more abstract parts of the digit "
                        "on smaller maps.")
            for number, (name, maps) in enumerate(inside.activations, start=1):
                st.image(mnist_charts.map_grid(maps, columns=16, cell=40 if maps.shape[0] > 8 else 28),
                         caption=f"Convolution layer {number}: {maps.shape[-1]} filters, each map "
                                 f"{maps.shape[0]} × {maps.shape[1]}")
    with tabs[2]:
        pictures = shared.first_layer(state.key, state.model)
        dense = inside.activations[0][1].ndim == 1
        st.markdown("The weights of the first layer, drawn as pictures: red where ink raises the neuron's sum, "
                    "blue where it lowers it. " + (
                        "Each is one hidden neuron's 784 incoming weights, laid out as the 28 × 28 image."
                        if dense else "Each is one 3 × 3 filter that slides over the image, e.g. an edge detector."))
        shown = pictures[:32]
        st.image(shown, caption=[f"{'neuron' if dense else 'filter'} {i + 1}" for i in range(len(shown))])
        if len(pictures) > len(shown):
            st.caption(f"The first {len(shown)} of {len(pictures)}.")
    with tabs[3]:
        left, right = st.columns([1, 2])
        left.image(mnist_charts.saliency_overlay(image, why.saliency),
                   caption=f"Red: ink that made it read {why.predicted}; blue: ink that argued against")
        right.markdown(f"For every pixel: how much would the network's score for **{why.predicted}** rise if "
                       "that pixel had a little more ink (the *gradient*), times the ink it has (gradient × "
                       "input). The score is the output neuron's weighted sum before it is turned into a "
                       "probability. Pixels without ink count for nothing here, however the network would "
                       "react to them.")
    with tabs[4]:
        st.markdown("The training digits that the network's last hidden layer finds most like this one. When "
                    "the network is wrong, these show what it confused the digit with.")
        columns = st.columns(len(why.neighbours))
        for column, index, distance in zip(columns, why.neighbours, why.distances):
            column.image(mnist_charts.enlarge(dataset.x_train[index] / 255, 84),
                         caption=f"a {dataset.y_train[index]} (distance {distance:.2f})")
        kept = shared.neighbours(state.key, state.model, dataset).variance_kept
        if kept < 1:
            st.caption(f"Distances are measured on the layer's {explain.MAX_EMBEDDING_DIMENSIONS} main "
                       f"directions (PCA), which keep {kept:.0%} of its spread.")


predict(state, dataset)

try_this(
    "Train Nielsen's network (the book's own): it learns in seconds and reads about 19 in 20 test digits.",
    "Draw a 7 small in a corner: the preprocessing still centres and scales it, as MNIST did.",
    "Pick random test digits until you find one it gets wrong: would you have read it right?",
)
lesson_footer("pages/mnist.py", CONTROLS)
