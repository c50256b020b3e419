"""Lesson 2: the perceptron, "should I go to France?"."""

import pandas as pd
import streamlit as st

from core.charts import concepts as charts
from core.code import basics as code
from core.i18n import N_, _, ngettext, number
from core.lessons import perceptron
from ui.code import code_section
from ui.page import Question, explain, header, lesson_footer, try_this
from ui.state import Controls, Select, Slider, Toggle, draw

X1 = Toggle("x1", N_("x1: the ticket costs less than $1,000"), False, N_("1 if true, 0 if false."))
X2 = Toggle("x2", N_("x2: my partner can come"), False, N_("1 if true, 0 if false."))
W1 = Slider(
    "w1",
    N_("Weight w1 (cheap ticket)"),
    -6.0,
    6.0,
    perceptron.FRANCE["w1"],
    0.5,
    N_("How much a cheap ticket counts towards going. Negative weights count against."),
)
W2 = Slider(
    "w2",
    N_("Weight w2 (partner comes)"),
    -6.0,
    6.0,
    perceptron.FRANCE["w2"],
    0.5,
    N_("How much your partner's company counts towards going."),
)
THRESHOLD = Slider(
    "threshold",
    N_("Threshold"),
    -6.0,
    6.0,
    perceptron.FRANCE["threshold"],
    0.5,
    N_("The weighted sum must be strictly greater than this to decide 'go'. The bias is b = −threshold."),
)
GATE = Select(
    "gate",
    N_("Truth table to learn"),
    tuple(perceptron.GATES),
    "AND",
    N_("Which logic gate the perceptron rule should learn from its four examples."),
)

RULE_EPOCHS = 25  # passes the perceptron rule makes at most
GO, STAY = N_("go (1)"), N_("stay (0)")  # the decision, in English: shown in the reader's language
GO_OR_STAY = Question("france")
CONTROLS = Controls(X1, X2, W1, W2, THRESHOLD, GATE)

header(
    N_("The perceptron: should I go to France?"),
    _("A perceptron weighs yes/no inputs, adds them up, and says 1 (go) only when the total is above a **threshold**."),
    _(
        "Each input is 1 or 0 and its **weight** says how much it matters. Above the threshold "
        "it says 1 (go), otherwise 0 (stay). We write the threshold as a **bias** b = −threshold, so "
        "the rule becomes: output 1 when w1·x1 + w2·x2 + b > 0. It is called a neuron because brain cells "
        "loosely inspired it, but only loosely: a real neuron is a living cell with thousands of connections, "
        "electrical spikes and chemistry, and the brain is not known to learn this way."
    ),
    CONTROLS,
)
said, when, otherwise = _("output"), _("if"), _("otherwise")  # the formula's words in the reader's language
st.latex(
    rf"\text{{{said}}} = \begin{{cases}} 1 & \text{{{when} }} w_1 x_1 + w_2 x_2 + b > 0 \\ "
    rf"0 & \text{{{otherwise}}} \end{{cases}}"
)

controls, picture = st.columns([1, 1], gap="large")
with controls:
    x1, x2 = int(draw(X1)), int(draw(X2))
    w1, w2, threshold = draw(W1), draw(W2), draw(THRESHOLD)
w, b = (w1, w2), -threshold
z = float(perceptron.weighted_sum((x1, x2), w, b))
output = int(perceptron.decide((x1, x2), w, b))
with controls:
    revealed = GO_OR_STAY.ask(
        N_("With these inputs, weights and threshold, will the perceptron go or stay?"),
        (GO, STAY),
        GO if output else STAY,
        (x1, x2, w1, w2, threshold),
    )
    if revealed:
        st.latex(rf"z = {w1:g}\cdot{x1} + {w2:g}\cdot{x2} + ({b:g}) = {z:g}")
        st.metric(_("Decision"), _(GO) if output else _(STAY), help=_("1 when z > 0, else 0."))
        GO_OR_STAY.verdict()
        table = pd.DataFrame(perceptron.truth_table(w, b)).rename(
            columns={"z": "z = w·x + b", "output": _("output (1 = go)")}
        )
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.caption(_("The truth table and the picture appear with the answer: each of them gives it away."))
with picture:
    if revealed:
        st.altair_chart(charts.perceptron_square(w, b), width="stretch")
        st.caption(
            _(
                "The dark line is w1·x1 + w2·x2 + b = 0. Inputs on the shaded side go; "
                "a point exactly on the line gives z = 0, which is not > 0, so it stays."
            )
        )

france = perceptron.truth_table((perceptron.FRANCE["w1"], perceptron.FRANCE["w2"]), -perceptron.FRANCE["threshold"])
cheap_only = next(row for row in france if (row["x1"], row["x2"]) == (1, 0))
st.info(
    _(
        "**Read the numbers carefully.** With the lesson's weights (4 and 3, threshold 4) a cheap ticket "
        "alone gives z = 4·1 + 3·0 − 4 = {z}. Zero is *not* greater than zero, so the rule "
        'as written says **stay ({output})**, even though you might expect "a cheap ticket '
        'is enough to go". To make a cheap ticket enough on its own, lower the threshold below 4 '
        "(try {lower}) or raise w1 above 4."
    ).format(z=f"{cheap_only['z']:g}", output=cheap_only["output"], lower=number(3.5)),
    icon=":material/lightbulb:",
)

st.subheader(_("The same neuron can compute logic: NAND"))
explain(
    _("A **NAND** gate outputs 0 only when both inputs are 1."),
    _(
        "Every other logic circuit can be built from NAND gates alone, so *networks* of perceptrons can "
        "compute anything a computer can. One perceptron alone cannot: XOR, below, defeats it."
    ),
)
nand_columns = st.columns(2)
for column, (title, weights) in zip(
    nand_columns,
    (
        (_("The lesson's weights: −2, −3, bias 3"), perceptron.LESSON_NAND),
        (_("Nielsen's weights: −2, −2, bias 3"), perceptron.NAND),
    ),
):
    rows = perceptron.truth_table((weights["w1"], weights["w2"]), weights["bias"])
    column.markdown(f"**{title}**")
    column.dataframe(pd.DataFrame(rows).rename(columns={"output": _("output")}), hide_index=True)
st.warning(
    _(
        "Check the lesson's version row by row: for (0, 1) it gives z = −3 + 3 = 0, and 0 is not "
        "> 0, so it outputs 0 where NAND needs 1. With −2 and −2 every row is right: that is the "
        'NAND gate. The direction of the test matters too: with "< 0" in place of "> 0" every row '
        "whose z is not 0 flips (a z of exactly 0 gives 0 either way, as in the lesson's row (0, 1)), and both "
        "sets of weights then compute AND."
    ),
    icon=":material/rule:",
)

st.subheader(_("Learning the weights"))
explain(
    _("Instead of choosing weights by hand, the **perceptron rule** learns them from examples."),
    _(
        "For each example it compares the target t with the output y, and nudges the weights "
        "towards the right answer whenever they differ (η is the step size):"
    ),
)
st.latex(r"w \leftarrow w + \eta\,(t - y)\,x \qquad b \leftarrow b + \eta\,(t - y)")
gate = draw(GATE)
run = perceptron.train(perceptron.GATES[gate], learning_rate=1.0, epochs=RULE_EPOCHS)
left, right = st.columns([2, 1])
left.altair_chart(charts.mistakes_per_epoch(run), width="stretch")
final_w1, final_w2, final_b = run.weights_[-1]
with right:
    st.metric(_("Epochs run"), len(run.mistakes_))
    st.metric(_("Learned weights w1, w2"), f"{final_w1:g}, {final_w2:g}")
    st.metric(_("Learned bias b"), f"{final_b:g}")
if run.converged_:
    st.success(
        ngettext(
            "{gate} is learned: after {passes} pass over the four examples no example is wrong any more, "
            "so the weights stop changing.",
            "{gate} is learned: after {passes} passes over the four examples no example is wrong any more, "
            "so the weights stop changing.",
            len(run.mistakes_),
        ).format(gate=gate, passes=len(run.mistakes_)),
        icon=":material/check_circle:",
    )
else:
    st.error(
        _(
            "{gate} never converges: after {passes} passes there are still mistakes. "
            'XOR\'s "go" points (0,1) and (1,0) sit on opposite corners, and no single straight '
            "line can put them on one side and (0,0), (1,1) on the other. A single perceptron only "
            "draws one line. Layers of neurons fix this: see the hidden-layers lesson."
        ).format(gate=gate, passes=len(run.mistakes_)),
        icon=":material/block:",
    )
    st.page_link(
        "lessons/hidden_layers.py", label=_("Hidden layers: teach a network XOR"), icon=":material/account_tree:"
    )

code_section(code.perceptron_page(x1, x2, w1, w2, threshold, gate, RULE_EPOCHS))
try_this(
    _("Switch both inputs on: 4 + 3 − 4 = 3 > 0, so go. Now only the cheap ticket: z = 0, stay."),
    _("Lower the threshold to {lower} and watch the line move past the point (1, 0).").format(lower=number(3.5)),
    _("Train on XOR and watch the mistakes never reach zero."),
)
lesson_footer(CONTROLS)
