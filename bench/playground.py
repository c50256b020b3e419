"""Time one "train 10 epochs and redraw" of the hidden-layers playground with its default
settings (300 points, 2 hidden layers of 4, a 60×60 heat-map grid) and print JSON.

Usage: python -m bench.playground
"""
import json
import statistics
import time

from core.lessons import playground
from core.charts import playground as playground_charts


def main(repeats=20):
    X, y = playground.make_dataset("XOR quadrants", 300, 0.1, 0)
    data = playground.split(X, y, 0.3, 0)
    model = playground.Playground(hidden=(4, 4))
    train, redraw = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        model.train(data, 10)
        trained = time.perf_counter()
        specs = [playground_charts.boundary(model.grid(60), data).to_dict(),
                 playground_charts.loss_curves(model.history_).to_dict(),
                 playground_charts.network([2, 4, 4, 1], model.model_.coefs_, ("x1", "x2")).to_dict()]
        images = [playground_charts.neuron_image(values) for maps in model.neuron_maps() for values in maps]
        finished = time.perf_counter()
        assert specs and images
        train.append(trained - started)
        redraw.append(finished - trained)
    print(json.dumps({
        "points": 300, "hidden": [4, 4], "grid": 60, "epochs_per_step": 10,
        "train_ms_median": round(statistics.median(train) * 1000, 1),
        "redraw_ms_median": round(statistics.median(redraw) * 1000, 1),
        "step_ms_median": round(statistics.median(t + r for t, r in zip(train, redraw)) * 1000, 1),
        "final_test_accuracy": round(model.history_["test_accuracy"][-1], 3),
    }))


if __name__ == "__main__":
    main()
