"""What the web server pays to serve the shipped network without TensorFlow (core/digits/network.py),
in a process of its own that imports what the server imports. Prints one JSON object:

- seconds to import ONNX Runtime and load the network, and the process's memory (RSS) then;
- one drawing prepared (MNIST's recipe) and read: p50 and p95 in ms;
- everything the five "look inside" views compute and draw for a drawing: p50 in ms;
- the class lab's reading of 2,000 drawings (each read twice: prepared, and resized straight), in
  full and, with its memo of earlier readings, after one more drawing arrived;
- with --reference, one epoch of Keras's example convnet, timed in a separate process (these
  machines differ by about 3×: quote the figures beside it).

Usage: MNIST_NPZ=/path/to/mnist.npz python -m bench.serving [--reference]
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

from harness.server import rss_mb


def timed(function, repeats):
    times = []
    for number in range(repeats):
        started = time.perf_counter()
        function(number)
        times.append((time.perf_counter() - started) * 1000)
    return times


def reference_epoch_seconds():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bench.mnist import keras_example_epoch_seconds as e; "
            "from core.digits import data; print(e(data.load()))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return round(float(done.stdout.strip().splitlines()[-1]), 1)


def main(arguments):
    started_mb = round(rss_mb(os.getpid()))
    started = time.perf_counter()
    from core.digits import shipped

    loaded = shipped.load()
    if loaded is None:
        sys.exit("the shipped network cannot be served: see the log line above")
    network, _ = loaded
    load_seconds = time.perf_counter() - started
    loaded_mb = round(rss_mb(os.getpid()))

    from bench.drawings import canvas_like
    from bench.explain import all_views
    from core.digits import data as mnist_data
    from core.digits import explain, preprocess
    from core.lab import measure
    from core.lab.store import Drawings

    data = mnist_data.load()
    drawings = [canvas_like(data.x_test[i]) for i in range(20)]
    network.predict_one(preprocess.to_mnist(drawings[0]))
    predict = timed(lambda n: network.predict_one(preprocess.to_mnist(drawings[n % 20])), 300)
    prepared = [preprocess.to_mnist(drawing) for drawing in drawings]
    read_only = timed(lambda n: network.predict_one(prepared[n % 20]), 300)

    started = time.perf_counter()
    index = explain.neighbour_index(network.embeddings, data.x_train)
    index_seconds = time.perf_counter() - started
    all_views(network, index, drawings[0], data)
    views = timed(lambda n: all_views(network, index, drawings[n % 20], data), 40)

    count = 2000
    images = np.resize(data.x_test, (count, 28, 28))
    room = Drawings(np.arange(count), np.resize(data.y_test, count).astype(int), images, images[::-1].copy())
    lab = timed(lambda _: measure.read(network, room), 5)
    memo = measure.Memo()
    measure.read(network, room, memo)

    def one_more(n):  # the room's view built again after one more drawing: only that one is read
        drawing = np.roll(data.x_test[n % 100], 1 + n // 100, axis=1)[None]
        grown = Drawings(
            np.arange(count + 1),
            np.append(room.labels, 0),
            np.concatenate([images, drawing]),
            np.concatenate([room.straight, drawing]),
        )
        measure.read(network, grown, memo)

    lab_one_more = timed(one_more, 20)

    print(
        json.dumps(
            {
                "network": "the shipped default network",
                "data": data.source,
                "rss_mb_before": started_mb,
                "rss_mb_with_network": loaded_mb,
                "import_and_load_seconds": round(load_seconds, 2),
                "predict_with_preprocessing_ms_p50": round(statistics.median(predict), 3),
                "predict_with_preprocessing_ms_p95": round(float(np.percentile(predict, 95)), 3),
                "predict_alone_ms_p50": round(statistics.median(read_only), 3),
                "all_five_views_ms_p50": round(statistics.median(views), 1),
                "all_five_views_ms_max": round(max(views), 1),
                "neighbour_index_seconds": round(index_seconds, 1),
                "class_lab_read_2000_drawings_ms_p50": round(statistics.median(lab), 1),
                "class_lab_read_2000_known_and_one_new_ms_p50": round(statistics.median(lab_one_more), 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "tensorflow_imported": "tensorflow" in sys.modules or "keras" in sys.modules,
                **({"keras_example_epoch_seconds": reference_epoch_seconds()} if "--reference" in arguments else {}),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
