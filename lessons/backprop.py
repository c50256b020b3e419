"""Lesson 6: backpropagation, the chain rule that finds the slope for every weight in one pass."""

import pandas as pd
import streamlit as st

from core.charts import backprop as charts
from core.code import networks as code
from core.i18n import N_, _, number, sentence
from core.lessons import backprop, backprop_formulas
from ui import backprop as backprop_parts
from ui.code import code_section
from ui.page import Question, header, lesson_footer, try_this
from ui.state import Controls, Select, Slider, State, draw

START = (0.5, -0.4, 0.3, 0.8, 0.1, -0.5, -0.6, 0.9, -0.2)  # in backprop.parameters() order
WEIGHTS = tuple(
    Slider(
        f"b_{p.target}" if p.is_bias else f"w_{p.source}_{p.target}",
        sentence(N_("Bias of {neuron}"), neuron=p.target) if p.is_bias else sentence(N_("Weight {name}"), name=p.name),
        -3.0,
        3.0,
        value,
        0.1,
        N_("The starting value. Reset goes back to it, so runs can be compared."),
    )
    for p, value in zip(backprop.parameters(), START)
)
EXAMPLE = Select(
    "example",
    N_("Training example"),
    tuple(backprop.FRANCE),
    next(iter(backprop.FRANCE)),
    N_("One of the four France questions: x1 = cheap ticket, x2 = partner comes, y = go (1) or stay (0)."),
    translated=True,
)
RATE = Select(
    "rate",
    N_("Learning rate η"),
    (0.1, 0.3, 1.0, 3.0, 10.0, 30.0),
    3.0,
    N_("How far each update moves every weight against its slope: w ← w − η·∂C/∂w."),
)
UPDATES = Select(
    "updates",
    N_("Updates per training run"),
    (10, 100, 1000),
    100,
    N_('How many single-example updates "Train" makes, taking the four France examples in turn.'),
)
CONTROLS = Controls(EXAMPLE, RATE, UPDATES, *WEIGHTS)
RUN = State("backprop_run")  # (starting values, [the network after each update, the start first])
PHASE = State("backprop_phase", int)  # 0: weights only; 1: forward pass shown; 2: backward pass too
BIGGEST = Question("biggest_change")
DIRECTION = Question("cost_direction")
MAX_UPDATES = 10_000
WORDS = {
    "BP1": N_(
        "**BP1, the output's error.** How far the output is from the target, times how steeply the "
        "sigmoid responds there, σ′(z) = a(1 − a)."
    ),
    "BP2": N_(
        "**BP2, passing the error back.** A hidden neuron's error is the output's error, weighted by "
        "the connection between them, times its own σ′(z). This is the chain rule, and it is why the "
        "method is called *back*propagation."
    ),
    "BP3": N_("**BP3, biases.** A bias's slope is its neuron's error."),
    "BP4": N_(
        "**BP4, weights.** A weight's slope is what flows into it (the input it multiplies) times the "
        "error of the neuron it feeds. A weight whose input is 0 gets slope 0: it did not take part."
    ),
}
DOWN, UP = N_("down"), N_("up")  # the cost question's choices, in English: shown in the reader's language


@st.cache_data
def _outputs_after(updates):
    """The network's output for each France example after `updates` updates from the default start."""
    examples = list(backprop.FRANCE.values())
    network = backprop.train(backprop.Network.from_flat(backprop.SIZES, START), examples, RATE.default, updates)[0][-1]
    return [float(backprop.forward(network, x).output[0]) for x, _target in examples]


def _has_it_learned():
    """The "Try this" prompt about learning the France rule, with the numbers it leads to, computed."""
    few, many = (_outputs_after(updates) for updates in UPDATES.options[1:3])
    told = _(
        "From the default start at η = {rate}, train {few} updates and look at the outputs for all four examples: "
        '"go" gets only {go_few}, so it has not learned yet. Reset and train {many}: "go" gets {go_many} and the '
        "others at most {others}. Now it goes only when both are true."
    )
    return told.format(
        rate=f"{RATE.default:g}",
        few=UPDATES.options[1],
        many=UPDATES.options[2],
        go_few=number(few[0], 2),
        go_many=number(many[0], 2),
        others=number(max(many[1:]), 2),
    )


def _latex_in_columns(lines, per_row=3):
    """Show formulas side by side: `per_row` of them if that is all, else two to a row."""
    per_row = min(per_row if len(lines) == per_row else 2, len(lines))
    for first in range(0, len(lines), per_row):
        for column, line in zip(st.columns(per_row), lines[first : first + per_row]):
            column.latex(line)


# What each button does to the page's networks (the first is the starting one, each next one an update).
def _forward(networks, gradients, rate, updates):
    PHASE.set(max(PHASE.get(), 1))


def _backward(networks, gradients, rate, updates):
    PHASE.set(2)


def _update(networks, gradients, rate, updates):
    networks.append(networks[-1].step(gradients, rate))
    PHASE.set(1)


def _step_back(networks, gradients, rate, updates):
    networks.pop()
    PHASE.set(1)


def _reset(networks, gradients, rate, updates):
    del networks[1:]
    PHASE.set(0)


def _train(networks, gradients, rate, updates):
    networks.extend(backprop.train(networks[-1], list(backprop.FRANCE.values()), rate, updates)[0])
    PHASE.set(1)


BUTTONS = (  # label, icon, what it does, on a press; Forward first: where every round starts
    (N_("Forward"), "arrow_forward", N_("Compute every neuron's z and a, from the inputs to the output."), _forward),
    (
        N_("Backward"),
        "arrow_back",
        N_("Compute every neuron's error δ, from the output back, and from them every slope."),
        _backward,
    ),
    (N_("Update"), "south", N_("Move every weight and bias a step against its slope: w ← w − η·∂C/∂w."), _update),
    (N_("Step back"), "undo", N_("Undo the last update."), _step_back),
    (N_("Reset"), "restart_alt", N_("Back to the starting weights."), _reset),
    (
        N_("Train {count} updates"),
        "fast_forward",
        N_("{count} updates, one example at a time, taking the four France examples in turn."),
        _train,
    ),
)


def _buttons(networks, gradients, rate, updates):
    full = len(networks) > MAX_UPDATES
    disabled = {_update: full, _train: full, _step_back: len(networks) == 1}
    for place, (column, (label, icon, why, press)) in enumerate(zip(st.columns(3) + st.columns(3), BUTTONS)):
        column.button(
            _(label).format(count=updates),
            icon=f":material/{icon}:",
            type="primary" if place == 0 else "secondary",
            on_click=press,
            args=(networks, gradients, rate, updates),
            disabled=disabled.get(press, False),
            help=_(why).format(count=updates),
            width="stretch",
        )


header(
    N_("Backpropagation"),
    _(
        "To learn, every weight needs its **slope**: how much the cost changes when that weight changes. "
        "Backpropagation finds every slope in one pass backwards through the network."
    ),
    _(
        "Below is a network small enough to read whole: the France question's two inputs, two hidden "
        "sigmoid neurons and one output. Its cost is C = ½(y − a)²: half the squared miss (the ½ only makes "
        "the slope simpler, a − y). Press Forward, Backward and Update in turn and watch each number appear."
    ),
    CONTROLS,
)
settings, training = st.columns([1, 2], gap="large")
example, rate, updates = draw(EXAMPLE, settings), draw(RATE, settings), draw(UPDATES, settings)
with settings.expander(_("Starting weights and biases")):
    start = tuple(float(draw(control, column)) for control, column in zip(WEIGHTS, st.columns(3) * 3))
if RUN.get() is None or RUN.get()[0] != start:
    RUN.set((start, [backprop.Network.from_flat(backprop.SIZES, start)]))
    PHASE.reset()
networks = RUN.get()[1]
network, (x, y) = networks[-1], backprop.FRANCE[example]
passed = backprop.forward(network, x)
gradients = backprop.backward(network, passed, y)
with training:
    _buttons(networks, gradients, rate, updates)
    phase = PHASE.get()
    diagram = st.empty()  # drawn once the backward pass's question below knows whether slopes may show
if phase:
    st.subheader(_("Forward pass: from the inputs to the cost"), divider="gray")
    *hidden, output = backprop_formulas.forward_equations(network, passed)
    _latex_in_columns([equation for _name, equation in hidden])
    st.latex(output[1])
    st.latex(backprop_formulas.cost_equation(network, passed, y))
slopes_shown = False
if phase == 2:
    st.subheader(_("Backward pass: from the cost to every slope"), divider="gray")
    slopes = backprop_formulas.shown_slopes(network, passed, y)
    if BIGGEST.ask(
        N_("Which weight or bias will the next update change most?"),
        tuple(backprop.parameter_names()),
        backprop.largest(backprop.parameter_names(), slopes),
        (start, len(networks), example),
    ):
        slopes_shown = True
        BIGGEST.verdict()
        for name, lines in backprop_formulas.backward_equations(network, passed, y).items():
            st.markdown(_(WORDS[name]))
            _latex_in_columns(lines)
        backprop_parts.gradient_table(network, gradients, slopes, x, y, rate)
with diagram.container():
    # the slopes are drawn only once the question about them is answered: they would give it away
    st.altair_chart(
        charts.network_diagram(network, passed if phase else None, gradients if slopes_shown else None), width="stretch"
    )
    if slopes_shown:
        told = _(
            "Updates so far: {count}. Each line now shows its weight's **slope** ∂C/∂w: solid "
            "where the slope is positive (the update will lower the weight), dashed where it is negative "
            "(also blue and orange); the thicker the line, the larger the slope."
        )
    else:
        told = _(
            "Updates so far: {count}. A solid line is a positive weight, a dashed line a "
            "negative one (also blue and orange); the thicker the line, the larger the number on it."
        )
    st.caption(told.format(count=len(networks) - 1))
if len(networks) > 1:
    st.subheader(_("The cost, update by update"), divider="gray")
    before, after = (backprop.cost(net, x, y) for net in networks[-2:])
    if DIRECTION.ask(
        sentence(N_('After the last update, did the cost on "{example}" go up or down?'), example=example),
        (DOWN, UP),
        DOWN if after < before else UP,
        (start, len(networks), example),
    ):
        DIRECTION.verdict()
        examples = list(backprop.FRANCE.values())
        per_example = backprop.costs(networks, examples)  # (networks, examples)
        st.altair_chart(
            charts.cost_per_update(
                per_example.mean(axis=1).tolist(), per_example[:, list(backprop.FRANCE).index(example)].tolist()
            ),
            width="stretch",
        )
        st.dataframe(
            pd.DataFrame(
                {
                    _("example"): [_(name) for name in backprop.FRANCE],
                    _("target y"): [target for _inputs, target in examples],
                    _("network's output a"): [backprop.forward(network, xi).output[0] for xi, _target in examples],
                }
            ),
            hide_index=True,
        )
        st.caption(
            _(
                "An update for one example can make the network worse on the others: that is why training "
                "takes the examples in turn, many times over, and watches the average."
            )
        )
backprop_parts.finite_differences_section()
code_section(code.backprop_page(network, x, y))
try_this(
    _("Press Forward, Backward, Update a few times: the cost on this example falls with every update."),
    _('Pick "dear ticket, partner stays home": both inputs are 0, so every first-layer weight gets slope 0 (BP4).'),
    _(
        "Set η to 30 and press Update once: the cost on this example almost vanishes, but the mean cost over all "
        "four examples goes up (the chart shows both). One big step fits one example and spoils the others; "
        "try η = 3."
    ),
    _has_it_learned(),
)
lesson_footer(CONTROLS)
