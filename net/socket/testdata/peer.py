"""libzmq peers for the interop tests of package socket (run by /usr/bin/python3).

Every mode prints "ENDPOINT <endpoint>" once its socket is bound or connected
("READY" for connecting SUBs once subscribed), then, depending on the mode,
one "MSG <frames>" line per message received (frames as hex, comma-separated;
an empty frame is an empty string), "COUNT <n>" and finally "DONE".
Failures go to stderr with exit status 1. Every wait is bounded.
Messages whose last frame ends with b"END" end a receiving mode.

Usage:
  peer.py pull ENDPOINT [--bind]          PULL; print messages until END
  peer.py push ENDPOINT N                 PUSH connects, sends N messages then END
  peer.py sub ENDPOINT TOPIC...           SUB connects with TOPICs; print messages until END
  peer.py stucksub ENDPOINT               SUB to everything that never reads; exits on stdin EOF
  peer.py countsub ENDPOINT               SUB to everything; prints COUNT at END
  peer.py xpub ENDPOINT N                 XPUB binds; after a subscription arrives sends N
                                          messages on topics a.i and b.i, then a.END
  peer.py router ENDPOINT IDENTITY        ROUTER binds; echoes each message to its sender
                                          (which must be IDENTITY) until [quit] -> [bye]
  peer.py dealer ENDPOINT N [--heartbeat]  DEALER (identity py-dealer) sends N messages and
                                          checks each echo; with --heartbeat (ZMTP PING every
                                          100 ms, 300 ms timeout) idles 1.5 s and echoes once more
  peer.py rep ENDPOINT                    REP binds; answers [x...] with [rep, x...] until [quit]
  peer.py req ENDPOINT N                  REQ sends N requests, checks replies [re:<i>, <i>]
"""
import sys
import time

import zmq

TIMEOUT_MS = 10000


def fail(msg):
    sys.stderr.write("peer.py: " + msg + "\n")
    sys.exit(1)


def out(*words):
    print(*words, flush=True)


def frames_hex(frames):
    return ",".join(f.hex() for f in frames)


def message(i):
    """Test message i: multipart with an empty frame, sizes varying."""
    return [b"%d" % i, b"", b"x" * (i % 300)]


def socket(ctx, kind, linger=2000):
    s = ctx.socket(kind)
    s.setsockopt(zmq.LINGER, linger)
    s.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    s.setsockopt(zmq.SNDTIMEO, TIMEOUT_MS)
    return s


def attach(s, endpoint, bind):
    if bind:
        s.bind(endpoint)
        out("ENDPOINT", s.getsockopt(zmq.LAST_ENDPOINT).decode())
    else:
        s.connect(endpoint)
        out("ENDPOINT", endpoint)


def recv(s, what):
    try:
        return s.recv_multipart()
    except zmq.Again:
        fail("no %s within %d ms" % (what, TIMEOUT_MS))


def print_until_end(s):
    n = 0
    while True:
        frames = recv(s, "message")
        if frames[-1].endswith(b"END"):
            out("COUNT", n)
            return
        out("MSG", frames_hex(frames))
        n += 1


def pull(endpoint, args):
    ctx = zmq.Context()
    s = socket(ctx, zmq.PULL)
    attach(s, endpoint, "--bind" in args)
    print_until_end(s)


def push(endpoint, args):
    ctx = zmq.Context()
    s = socket(ctx, zmq.PUSH, linger=TIMEOUT_MS)
    attach(s, endpoint, False)
    for i in range(int(args[0])):
        s.send_multipart(message(i))
    s.send_multipart([b"END"])
    s.close()  # lingers until everything is written
    ctx.term()


def sub(endpoint, args):
    ctx = zmq.Context()
    s = socket(ctx, zmq.SUB)
    for t in args:
        s.setsockopt(zmq.SUBSCRIBE, t.encode())
    attach(s, endpoint, False)
    print_until_end(s)


def stucksub(endpoint, args):
    ctx = zmq.Context()
    s = socket(ctx, zmq.SUB, linger=0)
    s.setsockopt(zmq.RCVHWM, 1)
    s.setsockopt(zmq.RCVBUF, 4096)
    s.setsockopt(zmq.SUBSCRIBE, b"")
    attach(s, endpoint, False)
    sys.stdin.read()  # never reads the socket; the test closes stdin to end it
    s.close()
    ctx.term()


def countsub(endpoint, args):
    ctx = zmq.Context()
    s = socket(ctx, zmq.SUB, linger=0)
    s.setsockopt(zmq.RCVHWM, 0)  # keep up with the publisher: queue without limit
    s.setsockopt(zmq.SUBSCRIBE, b"")
    attach(s, endpoint, False)
    n = 0
    while True:
        frames = recv(s, "message")
        if frames[-1].endswith(b"END"):
            out("COUNT", n)
            return
        n += 1


def xpub(endpoint, args):
    ctx = zmq.Context()
    s = socket(ctx, zmq.XPUB, linger=TIMEOUT_MS)
    attach(s, endpoint, True)
    sub = recv(s, "subscription")
    out("SUBSCRIBED", frames_hex(sub))
    for i in range(int(args[0])):
        s.send_multipart([b"a.%d" % i, b"", b"payload"])
        s.send_multipart([b"b.%d" % i, b"payload"])
    s.send_multipart([b"a.END"])
    s.close()
    ctx.term()


def router(endpoint, args):
    ctx = zmq.Context()
    s = socket(ctx, zmq.ROUTER)
    attach(s, endpoint, True)
    identity = args[0].encode()
    n = 0
    while True:
        frames = recv(s, "message")
        if frames[0] != identity:
            fail("sender identity %r, want %r" % (frames[0], identity))
        if frames[1:] == [b"quit"]:
            s.send_multipart([frames[0], b"bye"])
            out("COUNT", n)
            s.close()
            ctx.term()
            return
        s.send_multipart(frames)
        n += 1


def dealer(endpoint, args):
    ctx = zmq.Context()
    s = socket(ctx, zmq.DEALER)
    s.setsockopt(zmq.IDENTITY, b"py-dealer")
    heartbeat = "--heartbeat" in args
    if heartbeat:
        # libzmq PINGs every 100 ms and drops the connection when no
        # traffic (PONG included) comes back within 300 ms.
        s.setsockopt(zmq.HEARTBEAT_IVL, 100)
        s.setsockopt(zmq.HEARTBEAT_TIMEOUT, 300)
    attach(s, endpoint, False)
    n = int(args[0])
    for i in range(n):
        s.send_multipart(message(i))
    for i in range(n):
        got = recv(s, "echo")
        if got != [b"echo"] + message(i):
            fail("echo %d: got %r" % (i, got[:2]))
    if heartbeat:
        time.sleep(1.5)  # idle: only heartbeats flow
        s.send_multipart(message(n))
        if recv(s, "echo") != [b"echo"] + message(n):
            fail("echo after the idle time")
        n += 1
    out("COUNT", n)


def rep(endpoint, args):
    ctx = zmq.Context()
    s = socket(ctx, zmq.REP)
    attach(s, endpoint, True)
    n = 0
    while True:
        frames = recv(s, "request")
        if frames == [b"quit"]:
            s.send_multipart([b"bye"])
            out("COUNT", n)
            s.close()
            ctx.term()
            return
        s.send_multipart([b"rep"] + frames)
        n += 1


def req(endpoint, args):
    ctx = zmq.Context()
    s = socket(ctx, zmq.REQ)
    attach(s, endpoint, False)
    n = int(args[0])
    for i in range(n):
        s.send_multipart([b"%d" % i, b"", b"body"])
        got = recv(s, "reply")
        if got != [b"re:%d" % i, b"", b"body"]:
            fail("reply %d: got %r" % (i, got))
    out("COUNT", n)


MODES = {
    "pull": pull, "push": push, "sub": sub, "stucksub": stucksub, "countsub": countsub,
    "xpub": xpub, "router": router, "dealer": dealer, "rep": rep, "req": req,
}


def main(argv):
    if len(argv) < 3 or argv[1] not in MODES:
        fail(__doc__)
    MODES[argv[1]](argv[2], argv[3:])
    out("DONE")


if __name__ == "__main__":
    main(sys.argv)
