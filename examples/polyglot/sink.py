"""Result sink of the polyglot example: the ZeroMQ guide's tasksink.py
(chapter 1) in pyzmq. Started by the example with /usr/bin/python3.

Usage: sink.py TASKS

Binds a PULL socket on a free loopback port and prints "ENDPOINT <endpoint>";
collects TASKS results, [task id, worker, answer]; prints "sink: received=N
distinct=D", one "sink: WORKER=N" line per worker, the elapsed time, and
"DONE". Gives up (exit status 1) if no result comes for 10 s.
"""
import collections
import sys
import time

import zmq


def fail(msg):
    sys.stderr.write("sink.py: " + msg + "\n")
    sys.exit(1)


def main(argv):
    if len(argv) != 2:
        fail(__doc__)
    tasks = int(argv[1])
    ctx = zmq.Context()
    receiver = ctx.socket(zmq.PULL)
    receiver.setsockopt(zmq.LINGER, 0)
    receiver.setsockopt(zmq.RCVTIMEO, 10000)
    port = receiver.bind_to_random_port("tcp://127.0.0.1")
    print("ENDPOINT tcp://127.0.0.1:%d" % port, flush=True)
    seen = set()
    per_worker = collections.Counter()
    received = 0
    start = None
    while received < tasks:
        try:
            frames = receiver.recv_multipart()
        except zmq.Again:
            fail("received %d of %d results, then nothing for 10 s" % (received, tasks))
        if start is None:
            start = time.monotonic()
        if len(frames) != 3:
            fail("result with %d frames, want 3: %r" % (len(frames), frames))
        task, worker, _answer = frames
        received += 1
        seen.add(task)
        per_worker[worker.decode()] += 1
    elapsed = time.monotonic() - start
    print("sink: received=%d distinct=%d" % (received, len(seen)), flush=True)
    for worker in sorted(per_worker):
        print("sink: %s=%d" % (worker, per_worker[worker]), flush=True)
    print("sink: %.0f ms from the first result to the last" % (elapsed * 1000), flush=True)
    print("DONE", flush=True)
    receiver.close()
    ctx.term()


if __name__ == "__main__":
    main(sys.argv)
