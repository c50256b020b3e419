"""A class answering one live poll at the same moment, through the app's own poll storage.

    python -m bench.class_poll                                   # a fresh SQLite file
    python -m bench.class_poll --db postgresql+psycopg://lab:lab@127.0.0.1:5432/lab

The teacher opens a poll; 30 students (threads) answer it together, each then changes their
answer once (the last one counts), while the teacher's page counts the answers every 2 s and
each student's device reads the poll every 2 s (ui/poll.py's fragments). Prints one JSON object:
students, answers_sent, counted, lost, wrong_choice, seconds_to_all_answers, answer_ms_p50,
answer_ms_p95, read_ms_p95, database.
"""

import argparse
import json
import tempfile
import threading
import time

import numpy as np

from core.lab import polls as poll_store
from core.lab import store
from core.lab.devices import Devices
from ui.poll import POLL_SECONDS  # how often the pages read the poll

CHOICES = ("it settles", "it diverges")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.class_poll", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--students", type=int, default=30)
    arguments = parser.parse_args(argv)
    lab = store.Lab(arguments.db or f"sqlite:///{tempfile.mkdtemp(prefix='class-poll-')}/lab.sqlite")
    room = lab.create_room()
    polls = poll_store.Polls(lab)
    poll_id = polls.open(
        room.code, room.teacher_key, "descent", "marble", (0.1,), "Will the marble settle?", CHOICES, "it settles"
    )
    start, answer_times, read_times, failures = threading.Barrier(arguments.students + 1), [], [], []
    finished = threading.Event()

    tokens = [Devices(lab).issue() for _ in range(arguments.students)]  # each phone's, as its browser keeps it

    def student(number):
        start.wait()
        poll = polls.current(room.code)  # what the device's poll fragment reads
        for choice in (number % 2, (number + 1) % 2):  # an answer, then a change of mind
            began = time.perf_counter()
            try:
                polls.answer(room.code, poll.id, tokens[number], choice)
                answer_times.append((time.perf_counter() - began) * 1000)
            except (store.RoomProblem, store.DatabaseUnavailable) as error:
                failures.append(str(error))

    def teacher():  # the projector's live count, every 2 s as the page does, plus the devices' reads
        start.wait()
        while not finished.is_set():
            began = time.perf_counter()
            polls.counts(polls.current(room.code))
            read_times.append((time.perf_counter() - began) * 1000)
            finished.wait(POLL_SECONDS)

    threads = [threading.Thread(target=student, args=(number,)) for number in range(arguments.students)]
    watcher = threading.Thread(target=teacher)
    for thread in (*threads, watcher):
        thread.start()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    finished.set()
    watcher.join()
    counts = polls.counts(polls.current(room.code))
    expected = [sum(1 for number in range(arguments.students) if (number + 1) % 2 == index) for index in range(2)]
    print(
        json.dumps(
            {
                "students": arguments.students,
                "answers_sent": 2 * arguments.students,
                "counted": sum(counts),
                "lost": arguments.students - sum(counts),
                "refused": len(failures),
                "wrong_choice": int(counts != expected),
                "seconds_to_all_answers": round(seconds, 3),
                "answer_ms_p50": round(float(np.percentile(answer_times, 50)), 1) if answer_times else None,
                "answer_ms_p95": round(float(np.percentile(answer_times, 95)), 1) if answer_times else None,
                "read_ms_p95": round(float(np.percentile(read_times, 95)), 1) if read_times else None,
                "database": lab.engine.dialect.name,
                "poll": poll_id,
            }
        )
    )


if __name__ == "__main__":
    main()
