"""The backpropagation lesson's formulas as LaTeX, with the learner's numbers plugged in: the
forward pass, the cost, and the four equations BP1–BP4 (core/lessons/backprop.py has the maths).
Every number is shown to DECIMALS decimals, and each result is worked out from the numbers shown
beside it, so a reader who redoes the arithmetic gets the same answer."""

from core.lessons.backprop import INPUT_NAMES, NEURON_NAMES
from core.lessons.neuron import sigmoid

DECIMALS = 5  # every number in the formulas; each result is worked out from the numbers shown beside it


def _shown(value):
    """A number as the formulas show it, and as a reader would use it: rounded to DECIMALS."""
    return round(float(value), DECIMALS)


def _number(value, bracket=True):
    """A shown number as text: trailing zeros dropped, a negative one in brackets (for a result
    at the end of a line, `bracket` False)."""
    text = f"{_shown(value):.{DECIMALS}f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return f"({text})" if text.startswith("-") and bracket else text


def _symbol(name):
    """A neuron's name as a LaTeX subscript; "x1→h1" (a weight's) as x1 → h1."""
    return r"\to ".join(rf"\text{{{part}}}" for part in name.split("→"))


def _forward_shown(network, passed):
    """The forward pass as the formulas show it: per layer, (its inputs, its z, its a), each
    worked out from the shown numbers before it (the inputs x as they are)."""
    layers, inputs = [], [float(value) for value in passed.activations[0]]
    for w, b in zip(network.weights, network.biases):
        zs = [
            _shown(sum(_shown(w[j, k]) * value for k, value in enumerate(inputs)) + _shown(b[j]))
            for j in range(w.shape[0])
        ]
        layers.append((inputs, zs, [_shown(sigmoid(z)) for z in zs]))
        inputs = layers[-1][2]
    return layers


def forward_equations(network, passed):
    """Return (neuron, LaTeX) for every neuron of the lesson's network: its weighted input z in
    symbols, then with the current numbers plugged in, and its output a, on three aligned lines.
    Each z and a is worked out from the numbers shown, so a reader who redoes it gets the same."""
    names, equations = [INPUT_NAMES, *NEURON_NAMES], []
    for layer, ((inputs, zs, activations), w, b) in enumerate(
        zip(_forward_shown(network, passed), network.weights, network.biases)
    ):
        symbols_in = [f"x_{k + 1}" if layer == 0 else rf"a_{{{_symbol(name)}}}" for k, name in enumerate(names[layer])]
        shown_in = [f"{value:g}" if layer == 0 else _number(value) for value in inputs]
        for j, neuron in enumerate(names[layer + 1]):
            symbols = " + ".join(
                rf"w_{{{_symbol(source + '→' + neuron)}}}\,{value}" for source, value in zip(names[layer], symbols_in)
            )
            numbers = " + ".join(rf"{_number(w[j, k])} \cdot {value}" for k, value in enumerate(shown_in))
            z, a = _number(zs[j], bracket=False), _number(activations[j], bracket=False)
            equations.append(
                (
                    neuron,
                    rf"\begin{{aligned}} z_{{{_symbol(neuron)}}} &= {symbols} + b_{{{_symbol(neuron)}}} \\ "
                    rf"&= {numbers} + {_number(b[j])} = {z} \\ "
                    rf"a_{{{_symbol(neuron)}}} &= \sigma({z}) = {a} \end{{aligned}}",
                )
            )
    return equations


def cost_equation(network, passed, y):
    """The cost's formula with the numbers in: C = ½(y − a)², worked out from the a shown."""
    a = _forward_shown(network, passed)[-1][2][0]
    return (
        rf"C = \tfrac12 (y - a_{{\text{{out}}}})^2 = \tfrac12 ({float(y):g} - {_number(a)})^2 = "
        rf"{_number(0.5 * (float(y) - a) ** 2, bracket=False)}"
    )


def _aligned(left, symbols, numbers, result):
    """left = symbols on one line, = numbers = result on the next."""
    return rf"\begin{{aligned}} {left} &= {symbols} \\ &= {numbers} = {_number(result, bracket=False)} \end{{aligned}}"


def _backward_shown(network, passed, y):
    """The backward pass as the formulas show it, each number worked out from the shown numbers
    before it: σ′ = a(1 − a) from each shown a, the errors δ per layer (hidden first), the inputs
    of each layer, and every slope in backprop.parameters() order."""
    shown = _forward_shown(network, passed)
    a_out = shown[-1][2][0]
    slope_out = _shown(a_out * (1 - a_out))
    delta_out = _shown((a_out - y) * slope_out)
    slopes_hidden = [_shown(a * (1 - a)) for a in shown[0][2]]
    deltas_hidden = [
        _shown(_shown(network.weights[1][0, j]) * delta_out * slope) for j, slope in enumerate(slopes_hidden)
    ]
    deltas, inputs = [deltas_hidden, [delta_out]], [layer[0] for layer in shown]
    slopes = []
    for layer in range(len(deltas)):
        slopes += [_shown(inputs[layer][k] * delta) for delta in deltas[layer] for k in range(len(inputs[layer]))]
        slopes += deltas[layer]
    return {
        "a_out": a_out,
        "slope_out": slope_out,
        "slopes_hidden": slopes_hidden,
        "deltas": deltas,
        "inputs": inputs,
        "slopes": slopes,
    }


def shown_slopes(network, passed, y):
    """Every slope ∂C/∂p as the formulas show it (rounded to DECIMALS, worked out from the shown
    numbers), in backprop.parameters() order: the numbers the page's table and question use."""
    return _backward_shown(network, passed, y)["slopes"]


def as_text(value):
    """A number as the page shows it everywhere: DECIMALS decimals, trailing zeros dropped, never −0."""
    return _number(value, bracket=False)


def _bp4(inputs, deltas, sources):
    """BP4, a line a weight: ∂C/∂w = (what comes in along the weight) × (the δ of the neuron it feeds)."""
    return [
        _aligned(
            rf"\frac{{\partial C}}{{\partial w_{{{_symbol(source + '→' + target)}}}}}",
            (f"x_{k + 1}" if layer == 0 else rf"a_{{{_symbol(source)}}}") + rf"\,\delta_{{{_symbol(target)}}}",
            rf"{inputs[layer][k]:g} \cdot {_number(deltas[layer][j])}"
            if layer == 0
            else rf"{_number(inputs[layer][k])} \cdot {_number(deltas[layer][j])}",
            _shown(inputs[layer][k] * deltas[layer][j]),
        )
        for layer, targets in enumerate(NEURON_NAMES)
        for j, target in enumerate(targets)
        for k, source in enumerate(sources[layer])
    ]


def backward_equations(network, passed, y):
    """Return the four equations of backpropagation for the lesson's network, each as a list of
    LaTeX lines with the current numbers plugged in: {"BP1": [...], ..., "BP4": [...]}. Each
    result is worked out from the numbers shown beside it, σ′ = a(1 − a) from the a shown in the
    forward pass; they are the numbers of shown_slopes."""
    out, hidden, sources = _symbol("out"), NEURON_NAMES[0], [INPUT_NAMES, *NEURON_NAMES]
    worked = _backward_shown(network, passed, y)
    a_out, slope_out, deltas, inputs = worked["a_out"], worked["slope_out"], worked["deltas"], worked["inputs"]
    delta_out = deltas[1][0]
    bp1 = [
        _aligned(
            rf"\delta_{{{out}}}",
            rf"(a_{{{out}}} - y)\,a_{{{out}}}(1 - a_{{{out}}})",
            rf"({_number(a_out)} - {y:g}) \cdot {_number(slope_out)}",
            delta_out,
        )
    ]
    bp2 = [
        _aligned(
            rf"\delta_{{{_symbol(name)}}}",
            rf"w_{{{_symbol(name + '→out')}}}\,\delta_{{{out}}}\,a_{{{_symbol(name)}}}(1 - a_{{{_symbol(name)}}})",
            rf"{_number(network.weights[1][0, j])} \cdot {_number(delta_out)} \cdot "
            rf"{_number(worked['slopes_hidden'][j])}",
            deltas[0][j],
        )
        for j, name in enumerate(hidden)
    ]
    bp3 = [
        rf"\frac{{\partial C}}{{\partial b_{{{_symbol(name)}}}}} = \delta_{{{_symbol(name)}}} = {_number(delta, bracket=False)}"
        for layer, names in enumerate(NEURON_NAMES)
        for name, delta in zip(names, deltas[layer])
    ]
    return {"BP1": bp1, "BP2": bp2, "BP3": bp3, "BP4": _bp4(inputs, deltas, sources)}
