"""Time one "train 10 epochs and redraw" of the hidden-layers playground in each problem type
(two classes, four classes, regression), with 300 points, 2 hidden layers of 4 and a 60×60
heat-map grid, and print one JSON object.

Usage: python -m bench.playground
"""

import json
import statistics
import time

from core.charts import playground as playground_charts
from core.lessons import playground, playground_data

PROBLEMS = {"two_class": ("XOR quadrants", 2), "four_class": ("Four blobs", 4), "regression": ("Hills and hollows", 0)}


def step_times(name, classes, repeats):
    """Median milliseconds to train 10 epochs, and to redraw everything the page draws after them."""
    X, y = playground_data.make_dataset(name, 300, 0.1, 0)
    data = playground_data.split(X, y, 0.3, 0, classes)
    model = playground.Playground(hidden=(4, 4), classes=classes)
    train, redraw = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        model.train(data, 10)
        trained = time.perf_counter()
        specs = [
            playground_charts.boundary(model.grid(60), data, classes).to_dict(),
            playground_charts.loss_curves(model.history_, model.history_, model.loss_name).to_dict(),
            playground_charts.network(
                [2, 4, 4, int(model.model_.n_outputs_)], model.model_.coefs_, ("x1", "x2")
            ).to_dict(),
        ]
        tables = [model.per_class(data)] if classes > 2 else []
        images = [playground_charts.neuron_image(values) for maps in model.neuron_maps() for values in maps]
        finished = time.perf_counter()
        assert specs and images and len(tables) == (classes > 2)
        train.append(trained - started)
        redraw.append(finished - trained)
    last = "test_loss" if classes == 0 else "test_accuracy"
    return {
        "data": name,
        "train_ms_median": round(statistics.median(train) * 1000, 1),
        "redraw_ms_median": round(statistics.median(redraw) * 1000, 1),
        "step_ms_median": round(statistics.median(t + r for t, r in zip(train, redraw)) * 1000, 1),
        f"final_{last}": round(model.history_[last][-1], 3),
    }


def main(repeats=20):
    print(
        json.dumps(
            {
                "points": 300,
                "hidden": [4, 4],
                "grid": 60,
                "epochs_per_step": 10,
                **{problem: step_times(name, classes, repeats) for problem, (name, classes) in PROBLEMS.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
