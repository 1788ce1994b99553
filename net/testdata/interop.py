#!/usr/bin/env python3
"""Interop scenarios against a Troupe node, run by net/interop_python_test.go.

    python3 interop.py SCENARIO ENDPOINT [NAME [ARGS...]]

Scenarios (each prints result lines on stdout, "done" last, exit status 0):
  unknown   send a type the node does not know (a map body) to NAME
  lookup    find NAME through the troupe.node actor, message the found ref,
            then look up a name nobody holds
  notfound  send a request to a name nobody holds: expect an ERROR envelope
  watch     spawn an actor of kind NAME through troupe.node, watch it, stop
            it: expect troupe.Done and a troupe.Terminated (code 7, normal)
  plain     as the worked example, authenticating with PLAIN as USER PASS
            (extra arguments); prints "no answer" if none comes in 1 s
  heartbeat a libzmq DEALER with ZMTP heartbeats (100 ms, timeout 300 ms)
            idles 1.6 s, watching its monitor for disconnects, then asks NAME
Only pyzmq and msgpack; see docs/PROTOCOL.md for the envelopes.
"""
import sys
import time

import msgpack
import zmq
from zmq.utils.monitor import recv_monitor_message

SEND, REPLY, ERROR = 1, 2, 3
NODE_ACTOR = "troupe.node"
TIMEOUT_MS = 5000


def dealer(ctx, endpoint, **opts):
    sock = ctx.socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    for opt, value in opts.items():
        sock.setsockopt(getattr(zmq, opt), value)
    return sock


def request(sock, to, type_name, body, corr):
    """Send [SEND, to, nil, type, body, corr]; return the answer envelope."""
    sock.send(msgpack.packb([SEND, to, None, type_name, body, corr]))
    answer = msgpack.unpackb(sock.recv(), raw=False)
    if answer[1] != corr:
        raise RuntimeError("answer for corr %r, want %r: %r" % (answer[1], corr, answer))
    return answer


def by_name(name):
    return [None, name, 0]


def show(answer):
    if answer[0] == REPLY:
        return "reply %s %r" % (answer[2], answer[3])
    if answer[0] == ERROR:
        return "error %d %s" % (answer[2], answer[3])
    raise RuntimeError("unexpected envelope %r" % (answer,))


def unknown(ctx, endpoint, name):
    sock = dealer(ctx, endpoint)
    sock.connect(endpoint)
    point = {"x": 1, "y": -2, "label": "p", "tags": ["a", "b"], "raw": b"\x00\x01", "w": 0.5}
    print(show(request(sock, by_name(name), "py.Point", point, corr=5)))
    sock.close()


def lookup(ctx, endpoint, name):
    sock = dealer(ctx, endpoint)
    sock.connect(endpoint)
    answer = request(sock, by_name(NODE_ACTOR), "troupe.Lookup", {"Name": name}, corr=1)
    if answer[0] != REPLY or answer[2] != "troupe.Found":
        raise RuntimeError("lookup %s: %r" % (name, answer))
    ref = answer[3]["Ref"]  # a ref inside a body is a map {Node, Name, ID}
    node, found, ident = ref["Node"], ref["Name"], ref["ID"]
    print("found %s %s %d" % (node, found, ident))
    # The found ref is exact: node address, name and incarnation id.
    print(show(request(sock, [node, found, ident], "str", "by ref", corr=2)))
    # A failed control request is answered with an ERROR envelope.
    answer = request(sock, by_name(NODE_ACTOR), "troupe.Lookup", {"Name": "no-such-actor"}, corr=3)
    if answer[0] != ERROR:
        raise RuntimeError("lookup of a missing name: %r" % (answer,))
    print("missing %d %s" % (answer[2], answer[3]))
    sock.close()


def notfound(ctx, endpoint, _name):
    sock = dealer(ctx, endpoint)
    sock.connect(endpoint)
    print(show(request(sock, by_name("no-such-actor"), "str", "anyone?", corr=9)))
    sock.close()


def watch(ctx, endpoint, kind):
    sock = dealer(ctx, endpoint)
    sock.connect(endpoint)
    spawn = {"Kind": kind, "Name": "py-worker", "TimeoutMs": 2000}
    answer = request(sock, by_name(NODE_ACTOR), "troupe.Spawn", spawn, corr=1)
    if answer[0] != REPLY or answer[2] != "troupe.Found":
        raise RuntimeError("spawn: %r" % (answer,))
    ref = answer[3]["Ref"]
    print("spawned %s %d" % (ref["Name"], ref["ID"]))
    print(show(request(sock, [None, ref["Name"], ref["ID"]], "str", "worker?", corr=2)))
    # Watch with no Watcher: this request (corr 3) is the watcher, and the
    # Terminated notice comes back as a REPLY to it, whenever it happens.
    sock.send(msgpack.packb([SEND, by_name(NODE_ACTOR), None, "troupe.Watch", {"Target": ref}, 3]))
    sock.send(msgpack.packb([SEND, by_name(NODE_ACTOR), None, "troupe.Stop", {"Target": ref}, 4]))
    answers = {}
    for _ in range(2):
        answer = msgpack.unpackb(sock.recv(), raw=False)
        answers[answer[1]] = answer
    done, notice = answers[4], answers[3]
    if done[0] != REPLY or done[2] != "troupe.Done":
        raise RuntimeError("stop: %r" % (done,))
    print("stopped")
    body = notice[3]
    if notice[0] != REPLY or notice[2] != "troupe.Terminated" or body["Target"] != ref:
        raise RuntimeError("watch: %r" % (notice,))
    print("terminated %d %s" % (body["Code"], body["Text"]))
    sock.close()


def plain(ctx, endpoint, name, user, password):
    sock = dealer(ctx, endpoint, RCVTIMEO=1000)
    sock.plain_username = user.encode()
    sock.plain_password = password.encode()
    sock.connect(endpoint)
    try:
        print(show(request(sock, by_name(name), "str", "authenticated", corr=1)))
    except zmq.Again:
        print("no answer")
    sock.close()


def heartbeat(ctx, endpoint, name):
    sock = dealer(ctx, endpoint, HEARTBEAT_IVL=100, HEARTBEAT_TIMEOUT=300, HEARTBEAT_TTL=3000)
    monitor = sock.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED)
    sock.connect(endpoint)
    print(show(request(sock, by_name(name), "str", "before", corr=1)))
    # Idle: only ZMTP PING/PONG crosses the connection now. libzmq drops it
    # if a PONG is 300 ms late; the monitor would then report DISCONNECTED.
    counts = {"handshakes": 0, "disconnects": 0}
    idle_until = time.monotonic() + 1.6
    while True:
        left = idle_until - time.monotonic()
        if left <= 0:
            break
        if monitor.poll(int(left * 1000) + 1):
            event = recv_monitor_message(monitor)["event"]
            if event == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                counts["handshakes"] += 1
            elif event == zmq.EVENT_DISCONNECTED:
                counts["disconnects"] += 1
    print("idle 1.6 handshakes %d disconnects %d" % (counts["handshakes"], counts["disconnects"]))
    print(show(request(sock, by_name(name), "str", "after", corr=2)))
    sock.disable_monitor()
    monitor.close()
    sock.close()


SCENARIOS = {
    "unknown": unknown,
    "lookup": lookup,
    "notfound": notfound,
    "watch": watch,
    "plain": plain,
    "heartbeat": heartbeat,
}


def main():
    scenario, endpoint = sys.argv[1], sys.argv[2]
    name = sys.argv[3] if len(sys.argv) > 3 else "echo"
    ctx = zmq.Context()
    try:
        SCENARIOS[scenario](ctx, endpoint, name, *sys.argv[4:])
    finally:
        ctx.destroy(linger=0)
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
