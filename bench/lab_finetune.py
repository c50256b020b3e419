"""Fine-tune the shipped network on "a class" of real pen-drawn digits, as the class lab would,
and print one JSON object: accuracy before and after on the class's held-out writers and on
MNIST's test digits, and the time it took.

    MNIST_NPZ=/path/to/mnist.npz python -m bench.lab_finetune
    MNIST_NPZ=/path/to/mnist.npz python -m bench.lab_finetune --model some.keras   # another network

The class is the 10 pendigits writers the shipped network never learnt from (21–30), one drawing of
each digit each: 100 digits. Writers 21–27 are the class's training split; writers 28–30 are held
out, with all of their other drawings too, so the figure rests on more than 30 digits.
"""

import argparse
import json

import numpy as np

from core.digits import data as mnist_data
from core.digits import pendigits, shipped
from core.lab import finetune

CLASS_WRITERS, HELD_OUT_WRITERS = range(21, 31), range(28, 31)


def the_class(digits):
    """One drawing of each digit by each class writer, then every other drawing of the held-out writers."""
    chosen = [
        next(d for d in digits if d.writer == writer and d.label == label)
        for writer in CLASS_WRITERS
        for label in range(10)
    ]
    taken = {id(d) for d in chosen}
    others = [d for d in pendigits.writers_of(digits, HELD_OUT_WRITERS) if id(d) not in taken]
    return chosen, others


def _span(writers):
    return f"{writers[0]}-{writers[-1]}"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.lab_finetune", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="a saved .keras network to fine-tune instead of the shipped one")
    arguments = parser.parse_args(argv)
    digits = pendigits.read()
    chosen, others = the_class(digits)
    x, y = pendigits.as_mnist(chosen + others)
    writers = np.array([d.writer for d in chosen + others])
    held = np.isin(writers, HELD_OUT_WRITERS)
    parts = finetune.Split(np.flatnonzero(~held), np.flatnonzero(held))
    if arguments.model:
        import keras

        model = keras.models.load_model(arguments.model, compile=False)
    else:
        model, _ = shipped.load_keras()
    _, summary = finetune.fine_tune(model, x, y, mnist_data.load(), parts=parts)
    summary.pop("history")
    print(
        json.dumps(
            {
                "network": arguments.model or "the shipped default network",
                "class": f"{len(chosen)} pen-drawn digits of writers {_span(CLASS_WRITERS)} (one of each digit each)",
                "held_out": f"writers {_span(HELD_OUT_WRITERS)}: their {held[: len(chosen)].sum()} class digits and "
                f"{len(others)} more of their drawings",
                **{key: round(value, 4) if isinstance(value, float) else value for key, value in summary.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
