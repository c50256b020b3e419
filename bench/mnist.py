"""Train each MNIST preset and print one JSON object per preset: accuracy, training time,
single-image prediction latency (preprocessing plus model), model size and peak memory. First, one
JSON object timing one epoch of Keras's own MNIST example convnet on this machine: the training
budget is at most 8 of those epochs, so `train_budget_ratio` compares machines fairly.

Usage: MNIST_NPZ=../shared/data/mnist.npz python -m bench.mnist [preset ...]
"""

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.drawings import canvas_like
from core.digits import data as mnist_data
from core.digits import model as mnist_model
from core.digits import nested, pendigits, preprocess, serving


def predict_latency_ms(network, data, repeats=300):
    """Preparing a drawing and reading it, as the server does: `network` is a core.digits.network.Network."""
    drawings = [canvas_like(data.x_test[i]) for i in range(20)]
    network.predict_one(preprocess.to_mnist(drawings[0]))  # warm up
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        network.predict_one(preprocess.to_mnist(drawings[i % len(drawings)]))
        times.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def keras_example_epoch_seconds(data):
    """Time one epoch of Keras's example "Simple MNIST convnet" (keras.io/examples/vision/mnist_convnet)."""
    import keras

    x, y = mnist_model.to_inputs(data.x_train), keras.utils.to_categorical(data.y_train, 10)
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    started = time.perf_counter()
    model.fit(x, y, batch_size=128, epochs=1, validation_split=0.1, verbose=0)
    return time.perf_counter() - started


def bench(preset, data, reference_seconds):
    config = mnist_model.PRESETS[preset]
    # the default network learns from pen-drawn digits too, as the shipped one does (core/digits/nested.py)
    pen = config == mnist_model.DEFAULT and pendigits.path().exists()
    recipe = nested.IDEAS[nested.CHOSEN]
    extra = nested.drawn(pendigits.writers_of(pendigits.read(), nested.CHOOSING), recipe)[:2] if pen else None
    model, history = mnist_model.train(config, data, extra=extra)
    evaluation = mnist_model.evaluate(model, data)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "model.keras"
        model.save(path)
        served = serving.write(model, Path(directory) / "model.onnx", Path(directory) / "model.weights.npz")
        p50, p95 = predict_latency_ms(served, data)
        size = sum(file.stat().st_size for file in Path(directory).iterdir())
    return {
        "preset": preset,
        "data_source": data.source,
        "n_train": int(len(data.x_train)),
        "n_pen_digits": 0 if extra is None else int(len(extra[0])),
        "n_test": int(len(data.x_test)),
        "epochs": config.epochs,
        "train_seconds": round(history["seconds"], 1),
        "train_budget_ratio": round(history["seconds"] / reference_seconds, 2),
        "test_accuracy": round(evaluation["accuracy"], 4),
        "predict_ms_p50": round(p50, 2),
        "predict_ms_p95": round(p95, 2),
        "model_bytes": size,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(presets):
    data = mnist_data.load()
    reference = keras_example_epoch_seconds(data)
    print(json.dumps({"keras_example_epoch_seconds": round(reference, 1)}), flush=True)
    for preset in presets or list(mnist_model.PRESETS):
        print(json.dumps(bench(preset, data, reference)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
