#!/usr/bin/env python3
"""Message a Troupe actor from Python and print its reply.

Troupe wire protocol v1 (docs/PROTOCOL.md) with pyzmq and msgpack only:

    python3 echo_client.py ENDPOINT [dealer|req] [NAME] [TEXT]
    python3 echo_client.py tcp://127.0.0.1:5555 dealer echo hello

sends TEXT (a msgpack str, Troupe type "str") to the actor registered as NAME
on the node listening at ENDPOINT, waits for the actor's answer and prints
"reply <type> <body>", or "error <code> <text>" and exits with status 1.
"""
import sys

import msgpack
import zmq

SEND, REPLY, ERROR = 1, 2, 3  # envelope kinds


def request(sock, name, type_name, body, corr):
    """Send one SEND envelope to the actor NAME and return its answer."""
    to = [None, name, 0]  # ref [node, name, id]: this node, by name, any id
    envelope = [SEND, to, None, type_name, body, corr]  # from: None (a client)
    sock.send(msgpack.packb(envelope))  # one frame; REQ adds the delimiter
    answer = msgpack.unpackb(sock.recv(), raw=False)
    if answer[1] != corr:
        raise RuntimeError("answer to request %d, expected %d" % (answer[1], corr))
    return answer


def main():
    endpoint = sys.argv[1]
    pattern = sys.argv[2] if len(sys.argv) > 2 else "dealer"
    name = sys.argv[3] if len(sys.argv) > 3 else "echo"
    text = sys.argv[4] if len(sys.argv) > 4 else "hello"

    ctx = zmq.Context()
    sock = ctx.socket(zmq.REQ if pattern == "req" else zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RCVTIMEO, 5000)  # ms: fail rather than hang
    sock.connect(endpoint)
    try:
        answer = request(sock, name, "str", text, corr=1)
    finally:
        sock.close()
        ctx.term()

    if answer[0] == REPLY:  # [2, corr, type, body]
        print("reply", answer[2], answer[3])
        return 0
    if answer[0] == ERROR:  # [3, corr, code, text]
        print("error", answer[2], answer[3])
        return 1
    raise RuntimeError("unexpected envelope kind %r" % answer[0])


if __name__ == "__main__":
    sys.exit(main())
