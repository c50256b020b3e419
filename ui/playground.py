"""The hidden-layers page's larger parts: the learner's own points (click, upload, clear,
download) and the training view (scores, the clickable plane, loss curves, the network's insides)."""

import json
import math
import time

import streamlit as st

from core.charts import playground as playground_charts
from core.i18n import N_, _, number, percent, shown, told
from core.lessons import playground_data, playground_points
from ui.state import State, bump, draw
from ui.words import inert, plain

CLICK = State("playground_click")  # the plane chart's selection: where the learner clicked
UPLOAD = State("playground_upload", int)  # bumped to empty the file box after its points are taken
UPLOAD_PROBLEM = State("playground_upload_problem")  # why the last file was refused, until the next one
EPOCHS_PER_TICK = 10
TICK_SECONDS = 1.0  # leaves the page idle most of each second, so Pause and the other widgets respond
TICK_WORK_SECONDS = 0.4  # a tick trains at most this long (at least one epoch), whatever the data and layers
BUTTON_WORK_SECONDS = 5.0  # "Train 10 epochs" stops after this long (at least one epoch)
SHORT = State("playground_short")  # (epochs made, epochs asked, seconds) when the button stopped early
HEADINGS = (N_("class"), N_("test points"), N_("accuracy"), N_("loss"))  # Playground.per_class's columns


def train_epochs(model, data, epochs=EPOCHS_PER_TICK):
    """The "Train 10 epochs" button: at most BUTTON_WORK_SECONDS of work, saying so when it stops early."""
    started = time.perf_counter()
    model.train(data, epochs, seconds=BUTTON_WORK_SECONDS)
    made = model.last_epochs_
    SHORT.set((made, epochs, time.perf_counter() - started) if made < epochs and not model.diverged_ else None)


def _take_upload(points, only_yours):
    """A file arrived: its points become the learner's points (shown alone), or say what is wrong."""
    upload = st.session_state.get(f"{UPLOAD.key}_{UPLOAD.get()}")
    if upload is None:
        return
    try:
        X, y = playground_points.read_points(upload.getvalue())
    except ValueError as error:
        UPLOAD_PROBLEM.set(f"{inert(upload.name)}: {plain(told(error))}")  # the file's own words, shown inert
        return
    UPLOAD_PROBLEM.set(None)
    points.set([[float(x1), float(x2), int(label)] for (x1, x2), label in zip(X, y)])
    only_yours()
    bump(UPLOAD)()


def own_points_box(new_class, points, plane, only_yours):
    """The learner's own points: the class a click adds, clear, upload and download. `plane` is
    the data on the plane (X, y); `only_yours` switches the data set to the learner's points alone.
    Returns the class a click adds."""
    title = _("Your own points ({count})").format(count=len(points.get()))
    with st.expander(title, icon=":material/add_location_alt:"):
        chosen = draw(new_class)
        st.caption(_("Click the plane below to add a point of this class. Adding points starts a fresh network."))
        st.button(
            _("Clear your points"),
            icon=":material/delete:",
            on_click=points.reset,
            disabled=not points.get(),
            help=_("Remove every point you added or uploaded."),
        )
        st.file_uploader(
            _(
                "Upload points: a CSV with the columns x1, x2, label (a class 0–{last}), at most {count} rows, "
                "x1 and x2 between −{extent} and {extent}"
            ).format(
                last=playground_data.MAX_CLASSES - 1,
                count=number(playground_points.MAX_ROWS),
                extent=number(playground_data.EXTENT),
            ),
            type=["csv"],
            key=f"{UPLOAD.key}_{UPLOAD.get()}",
            on_change=_take_upload,
            args=(points, only_yours),
        )
        if UPLOAD_PROBLEM.get():
            st.error(UPLOAD_PROBLEM.get(), icon=":material/error:")
        if len(points.get()) >= playground_points.MAX_ROWS:
            st.warning(shown(playground_points.FULL), icon=":material/block:")
        st.download_button(
            _("Download these points (CSV)"),
            playground_points.points_csv(*plane),
            "playground-points.csv",
            mime="text/csv",
            icon=":material/download:",
            help=_("Every point on the plane, generated and yours, as x1, x2, label."),
        )
    return chosen


def clicked_point(selection):
    """The point a click on the plane chose, (x1, x2), or None. The selection comes from the browser,
    so a script can send anything: only two finite numbers inside the plane are taken."""
    try:
        spot = selection["selection"][playground_charts.SPOT][0]
        x1, x2 = float(spot["x1"]), float(spot["x2"])
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None
    if not (math.isfinite(x1) and math.isfinite(x2)) or max(abs(x1), abs(x2)) > playground_data.EXTENT:
        return None
    return round(x1, 3), round(x2, 3)


def _clicked(add):
    """The plane was clicked: add a point where (the grid cell's centre)."""
    point = clicked_point(CLICK.get())
    if point is not None:
        add(*point)


def _scores(model):
    history, scores = model.history_, st.columns(3)
    scores[0].metric(_("Epoch"), model.epoch)
    if history["train_loss"] and model.regression:
        scores[1].metric(_("Training loss (MSE)"), f"{history['train_loss'][-1]:.4f}")
        scores[2].metric(_("Test loss (MSE)"), f"{history['test_loss'][-1]:.4f}")
    elif history["train_loss"]:
        scores[1].metric(_("Training accuracy"), percent(history["train_accuracy"][-1]))
        scores[2].metric(_("Test accuracy"), percent(history["test_accuracy"][-1]))
    if model.diverged_:
        said = _(
            "**Diverged** at epoch {epoch}: with learning rate {rate} the steps overshoot so far that the loss "
            "blew up, and the weights are now meaningless. Lower the learning rate and start again."
        )
        st.error(said.format(epoch=model.epoch + 1, rate=f"{model.learning_rate:g}"), icon=":material/trending_up:")
    elif model.unstable:
        if model.regression:
            guess = _("the mean for every point")
        else:
            guess = _("1/{classes} for every class").format(classes=model.classes)
        warned = _(
            "**Unstable**: with learning rate {rate} the loss keeps jumping above {limit}, twice that of always "
            "answering {guess}. The steps overshoot the valley; a smaller learning rate will settle."
        )
        limit = number(2 * model.chance_loss_, 2)
        st.warning(
            warned.format(rate=f"{model.learning_rate:g}", limit=limit, guess=guess), icon=":material/show_chart:"
        )


def _insides(model, data, previous, previous_said):
    """The loss curves (and the previous run's, faded) and the per-class scores."""
    st.download_button(
        _("Download this network (JSON)"),
        json.dumps(model.export()),
        "playground-network.json",
        mime="application/json",
        icon=":material/download:",
        help=_("Its features, layer sizes, activations, weights and biases, to use elsewhere."),
    )
    st.altair_chart(playground_charts.loss_curves(model.history_, previous, model.loss_name), width="stretch")
    if previous:
        faded = _("Faded: the previous run from the same start ({settings}), to compare with this one.")
        st.caption(faded.format(settings=previous_said))
    if model.classes > 2:
        st.markdown(_("**Each class on the test points**: the share read right, and its mean loss −ln p(its class)"))
        table = model.per_class(data).round(3)
        st.dataframe(table.rename(columns={name: _(name) for name in table.columns}), hide_index=True)
    layer_sizes = [len(model.features), *model.hidden, int(model.model_.n_outputs_)]
    st.altair_chart(playground_charts.network(layer_sizes, model.model_.coefs_, model.features), width="stretch")


def _neurons(model):
    st.markdown(_("**What each hidden neuron responds to** (blue: high output, orange: low), layer by layer"))
    for layer, maps in enumerate(model.neuron_maps(), start=1):
        st.image(
            [playground_charts.neuron_image(values) for values in maps],
            caption=[_("layer {layer}, neuron {neuron}").format(layer=layer, neuron=i + 1) for i in range(len(maps))],
            alt=[
                _("Where neuron {neuron} of layer {layer} fires over the plane").format(layer=layer, neuron=i + 1)
                for i in range(len(maps))
            ],
        )


def _caption(model):
    if model.regression:
        return _(
            "Background: the network's prediction, from orange (low) through white (0) to blue (high). Points are "
            "coloured by their own numbers; filled ones are training data, hollow ones test data."
        )
    if model.classes > 2:
        return _(
            "Background: the class the network picks, one colour per class, fainter where it is unsure. Filled "
            "points are training data, hollow ones test data. Click to add a point."
        )
    return _(
        "Background: the network's output, from orange (class 0) through white (unsure) to blue (class 1). "
        "Filled points are training data, hollow ones test data. Click to add a point."
    )


def training_view(model, data, playing, previous, add=None, changed=lambda: False, previous_said=""):
    """Scores, the plane (clickable when `add(x1, x2)` is given), and the network's insides, in a
    fragment: with `playing` it trains a few epochs every second, redrawing only itself.
    `changed()` says the learner's points changed, so the page must build a fresh network."""

    @st.fragment(run_every=TICK_SECONDS if playing else None)
    def view():
        if changed():
            st.rerun(scope="app")
        if playing and not model.diverged_:
            model.train(data, EPOCHS_PER_TICK, seconds=TICK_WORK_SECONDS)
            SHORT.set(None)
        _scores(model)
        if SHORT.get():
            made, asked, seconds = SHORT.get()
            stopped = _(
                "Trained {made} of {asked} epochs: they took {seconds} s with these points and layers, "
                "so training stopped there to keep the page responsive. Press again for more."
            )
            st.caption(stopped.format(made=made, asked=asked, seconds=number(seconds, 1)))
        picture, curves = st.columns([3, 2], gap="large")
        chart = playground_charts.boundary(model.grid(), data, model.classes)
        if add is None:
            picture.altair_chart(chart, width="stretch")
        else:
            picture.altair_chart(
                chart,
                width="stretch",
                key=CLICK.key,
                on_select=lambda: _clicked(add),
                selection_mode=playground_charts.SPOT,
            )
        picture.caption(_caption(model))
        if model.epoch == 0:
            curves.info(_("Press **Train 10 epochs** or **Play** to start training."), icon=":material/play_arrow:")
            return
        with curves:
            _insides(model, data, previous, previous_said)
        if model.hidden:
            _neurons(model)

    view()
