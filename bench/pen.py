"""How well a handwriting network reads real pen-written digits from writers it never saw.

Each of the 7,494 pendigits trajectories (30 writers) is drawn as the page's canvas holds a
drawing (280 × 280, white pen 18 px wide on black; core/digits/pendigits.py), then goes through the
page's own preprocessing (core.digits.preprocess.to_mnist) and network. Prints one JSON object:
accuracy, accuracy per digit, the commonest confusions, the number of digits, and accuracy when the
same digits are drawn smaller or larger on the canvas.

    python -m bench.pen                      # the shipped network, on the writers it never saw
    python -m bench.pen --model some.keras   # any saved network, on all 30 writers
    python -m bench.pen --model some.keras --writers 16-30
    python -m bench.pen --train              # train the default configuration on MNIST now and measure it
    python -m bench.pen --nested inner --ideas shipped "4 variations" --seeds 0 1 2   # compare ideas
    python -m bench.pen --nested final --ideas shipped --seeds 0 1 2    # the chosen one, on the final writers
    python -m bench.pen --nested final --ideas shipped --save some.keras   # ... and keep its last network

--nested measures recipes as core/digits/nested.py says: `inner` trains each idea once per fold of
the choosing writers and seed, on MNIST and the other choosing writers' pen digits, and reads the
fold's writers and MNIST's validation digits; `final` trains on all choosing writers once a seed and
reads the final writers and MNIST's test set. One JSON object per training, then one per idea with
the mean over folds per seed and the lowest over seeds, and the longest training in epochs of Keras's
example convnet timed first (needs the full MNIST set: MNIST_NPZ). About 7 example epochs a training.
"""

import argparse
import json
import sys
from collections import Counter

import numpy as np

from core.digits import pendigits, shipped

SIZES = (120, 160, 240)  # other spans, in canvas pixels, for how the size of a drawing matters


def images(digits, span=pendigits.SPAN):
    """Return (n, 28, 28) float images the network reads for the digits drawn `span` px large."""
    from core.digits import preprocess

    return np.stack([preprocess.to_mnist(pendigits.render(pendigits.on_canvas(digit, span))) for digit in digits])


def read(model, x):
    """Return the network's digit for each image, one batch at a time, as the page computes them."""
    from core.digits import model as mnist_model

    return mnist_model.classify(model, x).argmax(axis=1)


def report(model, digits):
    """Accuracy overall, per digit and by drawing size, and the commonest confusions."""
    truth = np.array([digit.label for digit in digits])
    predicted = read(model, images(digits))
    confusions = Counter((int(t), int(p)) for t, p in zip(truth, predicted) if t != p)
    by_size = {str(span): round(float(np.mean(read(model, images(digits, span)) == truth)), 4) for span in SIZES}
    return {
        "n_digits": int(len(truth)),
        "writers": sorted({digit.writer for digit in digits}),
        "accuracy": round(float(np.mean(predicted == truth)), 4),
        "per_digit": {str(d): round(float(np.mean(predicted[truth == d] == d)), 4) for d in range(10)},
        "top_confusions": [{"true": t, "read_as": p, "count": n} for (t, p), n in confusions.most_common(8)],
        "accuracy_by_span_px": {str(pendigits.SPAN): round(float(np.mean(predicted == truth)), 4), **by_size},
    }


def network(arguments):
    """Return (model, description, writers it learnt from) for what the arguments ask to measure."""
    import keras

    from core.digits import data as mnist_data
    from core.digits import model as mnist_model

    if arguments.model:
        return keras.models.load_model(arguments.model, compile=False), arguments.model, ()
    if arguments.train:
        model, history = mnist_model.train(mnist_model.DEFAULT, mnist_data.load())
        return model, f"the default configuration, trained on MNIST now in {history['seconds']:.1f} s", ()
    loaded = shipped.load_keras()
    if loaded is None:
        sys.exit("no shipped network: run `python -m core.digits.pretrain --export`, or pass --model or --train")
    return loaded[0], "the shipped default network", tuple(loaded[1]["pen"]["writers_learnt_from"])


def writer_range(text):
    low, _, high = text.partition("-")
    return range(int(low), int(high or low) + 1)


def rounded(value):
    """JSON-ready figures to 4 places."""
    if isinstance(value, dict):
        return {str(key): rounded(item) for key, item in value.items()}
    return round(value, 4) if isinstance(value, float) else value


def nested(stage, ideas, seeds, save=None):
    """core/digits/nested.py: compare `ideas` inside the choosing writers, or read the chosen one
    on the final writers. One JSON line a training, then one a recipe with its summary."""
    from core.digits import data as mnist_data
    from core.digits import nested as nesting

    data = mnist_data.load()
    if len(data.x_train) != 60_000:
        sys.exit(f"--nested needs the full MNIST set, found {data.source}: set MNIST_NPZ")
    from bench.mnist import keras_example_epoch_seconds

    reference = keras_example_epoch_seconds(data)
    print(json.dumps({"keras_example_epoch_seconds": round(reference, 1)}), flush=True)
    digits = pendigits.read()
    for idea in ideas:

        def report(row, idea=idea):
            print(json.dumps(rounded({"idea": idea, **row})), flush=True)

        recipe = nesting.IDEAS[idea]
        if stage == "inner":
            rows = nesting.inner(data, digits, recipe, seeds, report)
        else:
            rows, trained = nesting.final(data, digits, recipe, seeds, report)
            if save:
                trained[-1][0].save(save)
        print(
            json.dumps(
                rounded(
                    {
                        "idea": idea,
                        "stage": stage,
                        **nesting.summary(rows),
                        "train_budget_ratio": max(row["seconds"] for row in rows) / reference,
                    }
                )
            ),
            flush=True,
        )


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.pen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="a saved .keras network to measure")
    parser.add_argument("--train", action="store_true", help="train the default configuration and measure it")
    parser.add_argument(
        "--writers",
        type=writer_range,
        help="only these writers, such as 16-30 (default: every writer the network did not learn from)",
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="seeds of --nested (default: 0)")
    parser.add_argument(
        "--nested",
        choices=("inner", "final"),
        help="inner: compare --ideas inside the choosing writers; final: read them on the final "
        "writers (core/digits/nested.py)",
    )
    parser.add_argument("--ideas", nargs="+", default=["shipped"], help="recipes of core/digits/nested.py's IDEAS")
    parser.add_argument("--save", help="with --nested final: save the last seed's network to this .keras file")
    arguments = parser.parse_args(argv)
    if arguments.nested:
        return nested(arguments.nested, arguments.ideas, arguments.seeds, arguments.save)
    model, description, learnt_from = network(arguments)
    digits = [digit for digit in pendigits.read() if digit.writer not in learnt_from]
    if arguments.writers:
        digits = pendigits.writers_of(digits, arguments.writers)
    print(json.dumps({"network": description, **report(model, digits)}), flush=True)


if __name__ == "__main__":
    main()
