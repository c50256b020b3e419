"""The backpropagation lesson's formulas as LaTeX, with the learner's numbers plugged in: the
forward pass, the cost, and the four equations BP1–BP4 (core/lessons/backprop.py has the maths).
Every number is shown to DECIMALS decimals, and each result is worked out from the numbers shown
beside it, so a reader who redoes the arithmetic gets the same answer."""
from core.lessons.backprop import INPUT_NAMES, NEURON_NAMES
from core.lessons.neuron import sigmoid, sigmoid_prime

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
        zs = [_shown(sum(_shown(w[j, k]) * value for k, value in enumerate(inputs)) + _shown(b[j]))
              for j in range(w.shape[0])]
        layers.append((inputs, zs, [_shown(sigmoid(z)) for z in zs]))
        inputs = layers[-1][2]
    return layers


def forward_equations(network, passed):
    """Return (neuron, LaTeX) for every neuron of the lesson's network: its weighted input z in
    symbols, then with the current numbers plugged in, and its output a, on three aligned lines.
    Each z and a is worked out from the numbers shown, so a reader who redoes it gets the same."""
    names, equations = [INPUT_NAMES, *NEURON_NAMES], []
    for layer, ((inputs, zs, activations), w, b) in enumerate(zip(_forward_shown(network, passed), network.weights,
                                                                   network.biases)):
        symbols_in = [f"x_{k + 1}" if layer == 0 else rf"a_{{{_symbol(name)}}}" for k, name in enumerate(names[layer])]
        shown_in = [f"{value:g}" if layer == 0 else _number(value) for value in inputs]
        for j, neuron in enumerate(names[layer + 1]):
            symbols = " + ".join(rf"w_{{{_symbol(source + '→' + neuron)}}}\,{value}"
                                 for source, value in zip(names[layer], symbols_in))
            numbers = " + ".join(rf"{_number(w[j, k])} \cdot {value}" for k, value in enumerate(shown_in))
            z, a = _number(zs[j], bracket=False), _number(activations[j], bracket=False)
            equations.append((neuron, rf"\begin{{aligned}} z_{{{_symbol(neuron)}}} &= {symbols} + b_{{{_symbol(neuron)}}} \\ "
                                      rf"&= {numbers} + {_number(b[j])} = {z} \\ "
                                      rf"a_{{{_symbol(neuron)}}} &= \sigma({z}) = {a} \end{{aligned}}"))
    return equations


def cost_equation(network, passed, y):
    """The cost's formula with the numbers in: C = ½(y − a)², worked out from the a shown."""
    a = _forward_shown(network, passed)[-1][2][0]
    return (rf"C = \tfrac12 (y - a_{{\text{{out}}}})^2 = \tfrac12 ({float(y):g} - {_number(a)})^2 = "
            rf"{_number(0.5 * (float(y) - a) ** 2, bracket=False)}")


def _aligned(left, symbols, numbers, result):
    """left = symbols on one line, = numbers = result on the next."""
    return rf"\begin{{aligned}} {left} &= {symbols} \\ &= {numbers} = {_number(result, bracket=False)} \end{{aligned}}"


def backward_equations(network, passed, gradients, y):
    """Return the four equations of backpropagation for the lesson's network, each as a list of
    LaTeX lines with the current numbers plugged in: {"BP1": [...], ..., "BP4": [...]}. Each
    result is worked out from the numbers shown beside it (the slopes in `gradients` agree with
    them to DECIMALS decimals, give or take one in the last)."""
    out, hidden, sources = _symbol("out"), NEURON_NAMES[0], [INPUT_NAMES, *NEURON_NAMES]
    shown = _forward_shown(network, passed)
    a_out = shown[-1][2][0]
    slope_out = _shown(sigmoid_prime(passed.zs[-1][0]))
    delta_out = _shown((a_out - y) * slope_out)
    bp1 = [_aligned(rf"\delta_{{{out}}}", rf"(a_{{{out}}} - y)\,\sigma'(z_{{{out}}})",
                    rf"({_number(a_out)} - {y:g}) \cdot {_number(slope_out)}", delta_out)]
    deltas_hidden = []
    bp2 = []
    for j, name in enumerate(hidden):
        weight, slope = _shown(network.weights[1][0, j]), _shown(sigmoid_prime(passed.zs[0][j]))
        deltas_hidden.append(_shown(weight * delta_out * slope))
        bp2.append(_aligned(rf"\delta_{{{_symbol(name)}}}",
                            rf"w_{{{_symbol(name + '→out')}}}\,\delta_{{{out}}}\,\sigma'(z_{{{_symbol(name)}}})",
                            rf"{_number(weight)} \cdot {_number(delta_out)} \cdot {_number(slope)}", deltas_hidden[-1]))
    deltas = [deltas_hidden, [delta_out]]
    bp3 = [rf"\frac{{\partial C}}{{\partial b_{{{_symbol(name)}}}}} = \delta_{{{_symbol(name)}}} = {_number(delta, bracket=False)}"
           for layer, names in enumerate(NEURON_NAMES) for name, delta in zip(names, deltas[layer])]
    inputs = [layer[0] for layer in shown]
    bp4 = [_aligned(rf"\frac{{\partial C}}{{\partial w_{{{_symbol(source + '→' + target)}}}}}",
                    (f"x_{k + 1}" if layer == 0 else rf"a_{{{_symbol(source)}}}") + rf"\,\delta_{{{_symbol(target)}}}",
                    rf"{inputs[layer][k]:g} \cdot {_number(deltas[layer][j])}" if layer == 0 else
                    rf"{_number(inputs[layer][k])} \cdot {_number(deltas[layer][j])}",
                    _shown(inputs[layer][k] * deltas[layer][j]))
           for layer, targets in enumerate(NEURON_NAMES) for j, target in enumerate(targets)
           for k, source in enumerate(sources[layer])]
    return {"BP1": bp1, "BP2": bp2, "BP3": bp3, "BP4": bp4}
