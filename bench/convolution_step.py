"""How long a step of the convolution lesson's window costs the server: from the Step click to the
redrawn view (the stepping part is an `st.fragment`, so a step reruns only it). Prints one JSON object:

- per setting (3 × 3 valid stride 1; 5 × 5 "same" stride 2, your own weights): the median and the
  slowest of `--steps` clicks, in seconds, as the server's `script_finished` arrives (loopback);
- whole_page_seconds: the median of as many reruns of the whole page (a change of the bias), the
  cost a step would have without the fragment;
- target_step_seconds: 0.1.

Usage: python -m bench.convolution_step [--steps 40]
"""

import argparse
import asyncio
import json
import statistics

from streamlit.proto.WidgetStates_pb2 import WidgetState

from core.digits import shipped
from harness.server import running_app
from harness.session import Session

SETTINGS = {
    "3x3 valid stride 1": "kernel=sharpen&at=250",
    "5x5 same stride 2": "kernel=your%20own&size=5&stride=2&padding=same&w22=1&w02=-1&at=40",
}
TARGET = 0.1


async def steps(url, query, count):
    async with Session(url, "convolution", query) as visitor:
        await visitor.click("Step")  # the first run of the fragment warms its imports
        return [await visitor.click("Step") for _ in range(count)]


async def whole_page(url, count):
    async with Session(url, "convolution", "kernel=sharpen") as visitor:
        [bias] = [element for element in visitor.find("slider") if element.label == "Bias b"]
        times = []
        for number in range(count):
            visitor.values[bias.id] = WidgetState(id=bias.id, double_array_value={"data": [0.1 * (number % 5)]})
            times.append(await visitor.rerun(changed=bias.id))
        return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=40)
    arguments = parser.parse_args()
    result = {}
    with running_app(NN_EXPLORER_SHIPPED=shipped.DIRECTORY) as (url, _):
        for name, query in SETTINGS.items():
            times = asyncio.run(steps(url, query, arguments.steps))
            result[name] = {
                "median_seconds": round(statistics.median(times), 4),
                "slowest_seconds": round(max(times), 4),
            }
        result["whole_page_seconds"] = round(statistics.median(asyncio.run(whole_page(url, arguments.steps))), 4)
    result["target_step_seconds"] = TARGET
    result["met"] = all(value["median_seconds"] <= TARGET for value in result.values() if isinstance(value, dict))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
