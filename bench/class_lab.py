"""A class submitting drawings at the same moment through the class lab's own storage code.

    python -m bench.class_lab                                   # a fresh SQLite file
    python -m bench.class_lab --db postgresql+psycopg://lab:lab@127.0.0.1:5432/lab

30 students (threads) each add 10 drawings, one a second (the app's limit per browser session),
all starting together. Prints one JSON object: students, drawings_each, submitted, stored, lost,
submit_ms_p50, submit_ms_p95, database.
"""

import argparse
import json
import tempfile
import threading
import time

import numpy as np

from core.lab import limits, store


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.class_lab", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--drawings", type=int, default=10)
    arguments = parser.parse_args(argv)
    # a drawing a second from each student: faster than a room's pace lets a class, so that is off here
    lab = store.Lab(arguments.db or f"sqlite:///{tempfile.mkdtemp(prefix='class-lab-')}/lab.sqlite", room_pace=None)
    room = lab.create_room()
    start, times, failures = threading.Barrier(arguments.students), [], []
    rng = np.random.default_rng(0)
    pictures = rng.integers(0, 256, (arguments.students, 28, 28), dtype=np.uint8)

    def student(number):
        start.wait()
        for drawing in range(arguments.drawings):
            began = time.perf_counter()
            try:
                lab.add(
                    room.code,
                    pictures[number],
                    pictures[number],
                    drawing % 10,
                    drawing % 10,
                    0.9,
                    "bench",
                    f"student-{number}",
                )
                times.append((time.perf_counter() - began) * 1000)
            except (store.RoomProblem, store.DatabaseUnavailable) as error:
                failures.append(str(error))
            time.sleep(limits.MIN_SECONDS_BETWEEN_ADDITIONS + 0.05)  # a student's pace, within the app's limit

    threads = [threading.Thread(target=student, args=(number,)) for number in range(arguments.students)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    submitted = arguments.students * arguments.drawings
    stored = lab.count(room.code)
    print(
        json.dumps(
            {
                "students": arguments.students,
                "drawings_each": arguments.drawings,
                "submitted": submitted,
                "stored": stored,
                "lost": submitted - stored,
                "refused": len(failures),
                "submit_ms_p50": round(float(np.percentile(times, 50)), 1) if times else None,
                "submit_ms_p95": round(float(np.percentile(times, 95)), 1) if times else None,
                "database": lab.engine.dialect.name,
            }
        )
    )


if __name__ == "__main__":
    main()
