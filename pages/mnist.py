"""Lesson 6: handwriting recognition. Train a Keras network on MNIST, test it, draw a digit."""
import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from core import mnist_charts, mnist_model, preprocess
from ui import mnist as shared
from ui.page import header, lesson_footer, try_this
from ui.state import Controls, Select, bump

PRESET = Select("preset", "Network", tuple(mnist_model.PRESETS), "convolutional",
                "Which kind of network to train. Each comes with settings that work; change them in the form.",
                mnist_model.PRESET_NAMES)
INPUT = Select("input", "Digit to read", ("Draw", "Upload a photo", "Random test digit"), "Draw",
               "Draw with the mouse, upload a picture of a handwritten digit, or pick one from the test set.")
BATCH_SIZES = (10, 32, 64, 128, 256, 512)
LEARNING_RATES = (0.0003, 0.001, 0.003, 0.005, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
CONTROLS = Controls(PRESET, INPUT)
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
    columns = st.columns(5)
    hidden_text = columns[0].text_input(
        "Filters per layer" if preset == "convolutional" else "Neurons per hidden layer",
        ", ".join(str(size) for size in defaults.hidden), key=f"hidden_{preset}",
        help="Comma-separated sizes, one per layer. The convolutional network takes 1 to 3 layers of filters.")
    activation = columns[1].selectbox("Activation", ("relu", "sigmoid", "tanh"),
                                      ("relu", "sigmoid", "tanh").index(defaults.activation), key=f"activation_{preset}",
                                      help="The function each neuron applies to its weighted sum z.")
    epochs = columns[2].slider("Epochs", *mnist_model.LIMITS["epochs"], defaults.epochs, key=f"epochs_{preset}",
                               help="How many times training passes over all the training digits.")
    batch_size = columns[3].select_slider("Mini-batch size", BATCH_SIZES, defaults.batch_size, key=f"batch_{preset}",
                                          help="How many digits each gradient step looks at.")
    learning_rate = columns[4].select_slider("Learning rate", LEARNING_RATES, defaults.learning_rate,
                                             key=f"rate_{preset}", help="The step size η of gradient descent.")
    if st.form_submit_button("Train", icon=":material/model_training:", type="primary"):
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
def predict(model, dataset):
    """Read a drawn, uploaded or test digit. A fragment: drawing reruns only this part."""
    st.header("4. Predict", divider="gray")
    source = INPUT(st)
    image, truth, problem = None, None, None
    left, right = st.columns([1, 1], gap="large")
    with left:
        if source == "Draw":
            drawing = st_canvas(stroke_width=18, stroke_color="#FFFFFF", background_color="#000000",
                                height=280, width=280, drawing_mode="freedraw", return_image_data=True,
                                key=f"canvas_{st.session_state['canvas_generation']}")
            st.caption("Draw one digit with the mouse (or a finger), as large as the square allows.")
            st.button("Clear", icon=":material/delete:", on_click=bump("canvas_generation"),
                      help="Wipe the canvas and start again.")
            if drawing.image_data is not None:
                image = preprocess.to_mnist(drawing.image_data)
        elif source == "Upload a photo":
            upload = st.file_uploader("A PNG or JPEG of one handwritten digit, at most 5 MB",
                                      type=["png", "jpg", "jpeg"],
                                      help="Dark ink on light paper or light ink on a dark background both work.")
            if upload is not None:
                try:
                    image = preprocess.to_mnist(preprocess.read_upload(upload.getvalue()))
                except ValueError as error:
                    problem = str(error)
        else:
            st.button("Another random test digit", icon=":material/casino:", on_click=bump("test_digit_seed"))
            index = int(np.random.default_rng(st.session_state["test_digit_seed"]).integers(len(dataset.x_test)))
            image, truth = dataset.x_test[index] / 255.0, int(dataset.y_test[index])
            st.caption(f"Test digit number {index:,}, written as a {truth}.")

    with right:
        if problem:
            st.error(problem, icon=":material/broken_image:")
        elif image is None:
            st.info("Draw a digit to see what the network reads." if source == "Draw"
                    else "Nothing to read yet: upload a picture of one handwritten digit.",
                    icon=":material/draw:")
        else:
            probabilities = mnist_model.predict_one(model, image)
            ranked = np.argsort(probabilities)[::-1]
            seen, numbers = st.columns([1, 1])
            seen.image(mnist_charts.enlarge(image), caption="What the network sees (28 × 28)")
            numbers.metric("Prediction", str(ranked[0]))
            numbers.metric("Confidence", f"{probabilities[ranked[0]]:.1%}")
            if probabilities[ranked[0]] < UNSURE_BELOW:
                st.warning(f"Not sure: it could also be a {ranked[1]} ({probabilities[ranked[1]]:.0%}).",
                           icon=":material/help:")
            if truth is not None:
                st.caption("Correct." if ranked[0] == truth else f"Wrong: this digit is a {truth}.")
            st.altair_chart(mnist_charts.probability_bars(probabilities), width="stretch")


predict(model, dataset)

try_this(
    "Train Nielsen's network (the book's own): it learns in seconds and reads about 19 in 20 test digits.",
    "Draw a 7 small in a corner: the preprocessing still centres and scales it, as MNIST did.",
    "Pick random test digits until you find one it gets wrong: would you have read it right?",
)
lesson_footer("pages/mnist.py", CONTROLS)
