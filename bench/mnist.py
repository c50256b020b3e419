"""Train each MNIST preset and print one JSON object per preset: accuracy, training time,
single-image prediction latency (preprocessing plus model), model size and peak memory.

Usage: MNIST_NPZ=../shared/data/mnist.npz python -m bench.mnist [preset ...]
"""
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from core.digits import data as mnist_data, model as mnist_model, preprocess


def canvas_like(digit):
    """Return a 280×280 RGBA drawing made from a 28×28 test digit, as the canvas sends it."""
    big = np.asarray(Image.fromarray(digit).resize((280, 280), Image.Resampling.BILINEAR))
    return np.dstack([big, big, big, np.full_like(big, 255)])


def predict_latency_ms(model, data, repeats=300):
    drawings = [canvas_like(data.x_test[i]) for i in range(20)]
    mnist_model.predict_one(model, preprocess.to_mnist(drawings[0]))  # warm up
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        mnist_model.predict_one(model, preprocess.to_mnist(drawings[i % len(drawings)]))
        times.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def bench(preset, data):
    config = mnist_model.PRESETS[preset]
    model, history = mnist_model.train(config, data)
    evaluation = mnist_model.evaluate(model, data)
    p50, p95 = predict_latency_ms(model, data)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "model.keras"
        model.save(path)
        size = path.stat().st_size
    return {
        "preset": preset, "data_source": data.source, "n_train": int(len(data.x_train)),
        "n_test": int(len(data.x_test)), "epochs": config.epochs, "train_seconds": round(history["seconds"], 1),
        "test_accuracy": round(evaluation["accuracy"], 4), "predict_ms_p50": round(p50, 2),
        "predict_ms_p95": round(p95, 2), "model_bytes": size,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(presets):
    data = mnist_data.load()
    for preset in presets or list(mnist_model.PRESETS):
        print(json.dumps(bench(preset, data)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
