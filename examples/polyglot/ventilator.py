"""Task ventilator of the polyglot example: the ZeroMQ guide's taskvent.py
(chapter 1) in pyzmq. Started by the example with /usr/bin/python3.

Usage: ventilator.py TASKS WORKERS

Binds a PUSH socket on a free loopback port and prints "ENDPOINT <endpoint>";
waits for the line "go" on stdin (the guide waits for Enter, so that every
worker is connected before the first task goes out) and for WORKERS
completed handshakes on its socket (a socket monitor: libzmq round-robins
only over the peers it has attached, and a worker whose handshake is still
under way would get nothing); sends TASKS tasks, [task id, cost], which
libzmq round-robins over the connected workers; prints what it sent and
exits.
"""
import sys

import zmq
from zmq.utils.monitor import recv_monitor_message


def fail(msg):
    sys.stderr.write("ventilator.py: " + msg + "\n")
    sys.exit(1)


def main(argv):
    if len(argv) != 3:
        fail(__doc__)
    tasks, workers = int(argv[1]), int(argv[2])
    ctx = zmq.Context()
    sender = ctx.socket(zmq.PUSH)
    monitor = sender.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
    sender.setsockopt(zmq.LINGER, 5000)
    sender.setsockopt(zmq.SNDTIMEO, 5000)
    port = sender.bind_to_random_port("tcp://127.0.0.1")
    print("ENDPOINT tcp://127.0.0.1:%d" % port, flush=True)
    if sys.stdin.readline().strip() != "go":
        fail("stdin closed before the go line")
    connected = 0
    while connected < workers:
        if not monitor.poll(5000):
            fail("only %d of %d workers connected within 5 s" % (connected, workers))
        if recv_monitor_message(monitor)["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED:
            connected += 1
    sender.disable_monitor()
    monitor.close()
    total = 0
    for i in range(tasks):
        cost = 1 + (i * 7919) % 100  # deterministic "random" workload
        total += cost
        try:
            sender.send_multipart([b"%d" % i, b"%d" % cost])
        except zmq.Again:
            fail("task %d: no worker took it within 5 s" % i)
    print("ventilator: sent %d tasks, total cost %d" % (tasks, total), flush=True)
    sender.close()
    ctx.term()


if __name__ == "__main__":
    main(sys.argv)
