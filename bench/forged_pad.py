"""What a forged drawing-pad value costs the server: a 9000 × 9000 PNG (a few hundred kilobytes)
sent as the pad's data URL. Each way of reading it runs in a fresh process, and the script prints
one JSON object: the process's peak resident memory before and after reading, in MB, the time
taken, and what came back.

- `component`: the drawing pad component's own `image_data` (what the pages used before);
- `read_pad`: `core.digits.preprocess.read_pad`, which checks the PNG header's size first.

Usage: python -m bench.forged_pad
"""

import json
import subprocess
import sys

CHILD = r"""
import base64, io, json, resource, sys, time
import numpy as np
from PIL import Image
from core.digits import preprocess

buffer = io.BytesIO()
Image.new("RGB", (9000, 9000)).save(buffer, format="PNG")
url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
before, started = peak(), time.perf_counter()
try:
    if sys.argv[1] == "component":
        _, encoded = url.split(";base64,", 1)
        result = str(np.asarray(Image.open(io.BytesIO(base64.b64decode(encoded)))).shape)
    else:
        result = str(preprocess.read_pad(url, 280).shape)
except Exception as error:
    result = f"{type(error).__name__}: {error}"
print(json.dumps({"png_kb": round(len(buffer.getvalue()) / 1024, 1), "peak_rss_before_mb": round(before, 1),
                  "peak_rss_after_mb": round(peak(), 1), "seconds": round(time.perf_counter() - started, 3),
                  "result": result}))
"""


def main():
    results = {}
    for way in ("component", "read_pad"):
        done = subprocess.run([sys.executable, "-c", CHILD, way], capture_output=True, text=True, check=True)
        results[way] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
