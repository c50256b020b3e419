"""Backpropagation against finite differences. Prints one JSON object:

- max_abs_diff_vs_finite_differences: the largest difference between the backpropagated and the
  central-difference gradient, over every parameter of the lesson's 2-2-1 network and of Nielsen's
  784-30-10 network (random weights and one random input each, seed 0);
- n_parameters_784_30_10;
- backprop_seconds and finite_difference_seconds: one full gradient of the 784-30-10 network for
  one input, each way (backpropagation: the median of 200 runs); speedup: their ratio (target at
  least 1,000).

Usage: python -m bench.backprop
"""

import json
import statistics
import time

import numpy as np

from core.lessons import backprop

BIG = (784, 30, 10)


def example(sizes, seed=0):
    rng = np.random.default_rng(seed)
    return backprop.Network.random(sizes, seed), rng.random(sizes[0]), np.eye(sizes[-1])[rng.integers(sizes[-1])]


def main():
    differences = []
    for sizes in (backprop.SIZES, BIG):
        network, x, y = example(sizes)
        differences.append(np.abs(backprop.gradient(network, x, y).flat() - backprop.finite_differences(network, x, y)))
    network, x, y = example(BIG)
    backprop.gradient(network, x, y)  # warm up
    runs = []
    for _ in range(200):
        started = time.perf_counter()
        backprop.gradient(network, x, y)
        runs.append(time.perf_counter() - started)
    started = time.perf_counter()
    backprop.finite_differences(network, x, y)
    finite = time.perf_counter() - started
    backward = statistics.median(runs)
    print(
        json.dumps(
            {
                "max_abs_diff_vs_finite_differences": float(max(part.max() for part in differences)),
                "n_parameters_784_30_10": backprop.work_counts(BIG)[0],
                "backprop_seconds": backward,
                "finite_difference_seconds": finite,
                "speedup": round(finite / backward),
                "target_speedup": 1000,
            }
        )
    )


if __name__ == "__main__":
    main()
