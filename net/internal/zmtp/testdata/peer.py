"""libzmq peer for the interop tests of package zmtp (run by /usr/bin/python3).

Usage:
  peer.py dealer ENDPOINT [--plain USER PASS] [--heartbeat]
      DEALER (identity "py-dealer") connects to ENDPOINT, sends multipart
      messages, expects each one echoed back unchanged; with --heartbeat it
      sets ZMQ_HEARTBEAT_IVL=100 ms / TIMEOUT=300 ms, stays connected 1.5 s,
      then exchanges again and checks that it never disconnected.
  peer.py router ENDPOINT IDENTITY [--heartbeat] [--plain-server USER PASS]
      ROUTER binds ENDPOINT, prints "ENDPOINT <bound endpoint>", echoes every
      message to its sender, checks the sender identity is IDENTITY, and
      exits after answering [b"quit"] with [b"bye"]. With --plain-server it
      is a PLAIN server (ZAP through zmq.auth) that accepts only USER/PASS.
  peer.py badauth ENDPOINT USER PASS
      DEALER connects with PLAIN credentials the server must refuse; prints
      "REFUSED <event> <value>" when libzmq reports the handshake failed.

Prints "DONE" and exits 0 on success; prints the reason to stderr and exits
1 otherwise. Every wait is bounded.
"""
import sys
import time

import zmq
from zmq.utils.monitor import recv_monitor_message

TIMEOUT_MS = 5000


def fail(msg):
    sys.stderr.write("peer.py: " + msg + "\n")
    sys.exit(1)


def heartbeat(sock):
    sock.setsockopt(zmq.HEARTBEAT_IVL, 100)
    sock.setsockopt(zmq.HEARTBEAT_TIMEOUT, 300)


def events(mon, wait_ms=0):
    """Return the monitor events available within wait_ms."""
    out = []
    while mon.poll(wait_ms):
        out.append(recv_monitor_message(mon))
        wait_ms = 0
    return out


def roundtrip(sock, frames):
    sock.send_multipart(frames)
    got = sock.recv_multipart()
    if got != frames:
        fail("echo mismatch: sent %d frames (%s), got %d frames (%s)" % (
            len(frames), [len(f) for f in frames], len(got), [len(f) for f in got]))


def dealer(endpoint, args):
    ctx = zmq.Context()
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    s.setsockopt(zmq.SNDTIMEO, TIMEOUT_MS)
    s.setsockopt(zmq.IDENTITY, b"py-dealer")
    hb = "--heartbeat" in args
    if hb:
        heartbeat(s)
    if "--plain" in args:
        i = args.index("--plain")
        s.setsockopt(zmq.PLAIN_USERNAME, args[i + 1].encode())
        s.setsockopt(zmq.PLAIN_PASSWORD, args[i + 2].encode())
    mon = s.get_monitor_socket()
    s.connect(endpoint)
    big = bytes(range(256)) * 4096  # 1 MiB
    for frames in ([b"hello"], [b"", b"x" * 300, b"", b"end"], [b"big", big]):
        roundtrip(s, frames)
    print("ECHOED", flush=True)
    if hb:
        time.sleep(1.5)  # the libzmq heartbeat runs meanwhile
        roundtrip(s, [b"after", b"heartbeat"])
    seen = events(mon, 100)
    names = [e["event"] for e in seen]
    if zmq.EVENT_DISCONNECTED in names:
        fail("connection dropped: events %s" % names)
    if names.count(zmq.EVENT_HANDSHAKE_SUCCEEDED) != 1:
        fail("want exactly one handshake, events %s" % names)
    print("DONE", flush=True)
    s.disable_monitor()
    mon.close()
    s.close()
    ctx.term()


def router(endpoint, identity, args):
    ctx = zmq.Context()
    auth = None
    if "--plain-server" in args:
        from zmq.auth.thread import ThreadAuthenticator
        i = args.index("--plain-server")
        auth = ThreadAuthenticator(ctx)
        auth.start()
        auth.configure_plain(domain="*", passwords={args[i + 1]: args[i + 2]})
    s = ctx.socket(zmq.ROUTER)
    if auth:
        s.setsockopt(zmq.PLAIN_SERVER, 1)
    s.setsockopt(zmq.LINGER, 1000)
    s.setsockopt(zmq.RCVTIMEO, TIMEOUT_MS)
    s.setsockopt(zmq.SNDTIMEO, TIMEOUT_MS)
    if "--heartbeat" in args:
        heartbeat(s)
    s.bind(endpoint)
    print("ENDPOINT", s.getsockopt(zmq.LAST_ENDPOINT).decode(), flush=True)
    for _ in range(100):
        try:
            frames = s.recv_multipart()
        except zmq.Again:
            fail("no message within %d ms" % TIMEOUT_MS)
        if frames[0] != identity.encode():
            fail("sender identity %r, want %r" % (frames[0], identity))
        if frames[1:] == [b"quit"]:
            s.send_multipart([frames[0], b"bye"])
            print("DONE", flush=True)
            s.close()
            if auth:
                auth.stop()
            ctx.term()
            return
        s.send_multipart(frames)
    fail("no quit message after 100 messages")


def badauth(endpoint, user, password):
    ctx = zmq.Context()
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.PLAIN_USERNAME, user.encode())
    s.setsockopt(zmq.PLAIN_PASSWORD, password.encode())
    mon = s.get_monitor_socket()
    s.connect(endpoint)
    deadline = time.monotonic() + TIMEOUT_MS / 1000.0
    seen = []
    while time.monotonic() < deadline:
        for e in events(mon, 100):
            seen.append((e["event"], e["value"]))
            if e["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                fail("handshake with bad credentials succeeded")
            # libzmq 4.3 reports an RFC 23 ERROR command as a protocol
            # failure (it expects its own misspelt ERROR), later versions
            # as an authentication failure: both mean refused.
            if e["event"] in (zmq.EVENT_HANDSHAKE_FAILED_AUTH, zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL):
                print("REFUSED", int(e["event"]), int(e["value"]), flush=True)
                print("DONE", flush=True)
                s.disable_monitor()
                mon.close()
                s.close()
                ctx.term()
                return
    fail("no handshake failure within %d ms; events %s" % (TIMEOUT_MS, seen))


def main(argv):
    if len(argv) < 3:
        fail(__doc__)
    mode, endpoint, rest = argv[1], argv[2], argv[3:]
    if mode == "dealer":
        dealer(endpoint, rest)
    elif mode == "router" and rest:
        router(endpoint, rest[0], rest[1:])
    elif mode == "badauth" and len(rest) == 2:
        badauth(endpoint, rest[0], rest[1])
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv)
