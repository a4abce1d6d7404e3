"""Opening a URL so that the download can be abandoned at any moment, and given up when too slow.

A classroom network may resolve names slowly, accept a connection and then never answer, or trickle
a byte every few seconds. A plain ``urlopen`` then blocks for its whole timeout in a place no stop
flag is looked at, and a window closing meanwhile has to wait for it. Here every blocking step is
either short or can be woken from outside:

* the name is resolved in a helper thread that is waited for in short ticks (``getaddrinfo`` has no
  timeout of its own) and abandoned on abort;
* the connection is made without blocking and waited for in ticks;
* once connected, the socket is registered with the ``Abort``: ``trigger()``, called from any thread,
  shuts it down, which wakes a read blocked in it at once;
* a read that gets no byte for ``Pace.stall_seconds`` fails, and the caller checks
  ``Pace.too_slow`` after every chunk, so a trickle is given up too.

``open_url`` returns what ``urllib.request.urlopen`` returns (redirects and proxies work as usual);
``file://`` mirrors are read directly.
"""

from __future__ import annotations

import errno
import http.client
import os
import select
import socket
import threading
import time
import urllib.request
from dataclasses import dataclass

__all__ = ["Abort", "Cancelled", "Pace", "open_url"]


class Cancelled(RuntimeError):
    """The download was abandoned on request."""


@dataclass(frozen=True)
class Pace:
    """How long a mirror may take before it counts as failed."""

    #: No byte (or no connection) for this long: the mirror has stopped answering.
    stall_seconds: float = 30.0
    #: After the grace period a file must have arrived at least this fast on average (bytes/s)...
    min_bytes_per_second: float = 8_000.0
    #: ...counted from this many seconds after the request (slow starts are normal).
    grace_seconds: float = 30.0
    #: How often a blocked name look-up or connection looks at the abort flag.
    tick_seconds: float = 0.25

    def too_slow(self, bytes_done: int, seconds: float) -> bool:
        """Whether `bytes_done` after `seconds` falls below the minimum throughput."""
        return bytes_done < self.min_bytes_per_second * (seconds - self.grace_seconds)


class Abort:
    """A stop flag that also closes the connections of the download it belongs to (thread-safe)."""

    def __init__(self):
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()

    def trigger(self) -> None:
        """Stop now: set the flag and shut down every open connection (wakes blocked reads)."""
        self._event.set()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def triggered(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("download cancelled")

    def wait(self, seconds: float) -> None:
        """Sleep up to `seconds`, returning early (by raising Cancelled) on abort."""
        if self._event.wait(seconds):
            raise Cancelled("download cancelled")

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)
        if self._event.is_set():     # triggered while we were connecting
            _shut(sock)

    def forget(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass    # already closed or never connected


def _resolve(host: str, port: int, abort: Abort, pace: Pace) -> list:
    """getaddrinfo in a daemon thread, waited for in ticks: an abort never waits for the resolver."""
    answer: list = []
    done = threading.Event()

    def look_up() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            answer.append(exc)
        done.set()

    threading.Thread(target=look_up, name="descent-lab-resolve", daemon=True).start()
    deadline = time.monotonic() + pace.stall_seconds
    while not done.wait(pace.tick_seconds):
        abort.check()
        if time.monotonic() > deadline:
            raise TimeoutError(f"looking up {host} took longer than {pace.stall_seconds:g} s")
    abort.check()
    if isinstance(answer[0], OSError):
        raise answer[0]
    return answer[0]


def _connect_one(address_info, abort: Abort, pace: Pace) -> socket.socket:
    family, kind, proto, _name, address = address_info
    sock = socket.socket(family, kind, proto)
    try:
        sock.setblocking(False)
        error = sock.connect_ex(address)
        deadline = time.monotonic() + pace.stall_seconds
        while error in (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN):
            abort.check()
            if time.monotonic() > deadline:
                raise TimeoutError(f"no connection within {pace.stall_seconds:g} s")
            _, writable, _ = select.select([], [sock], [], pace.tick_seconds)
            if writable:
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if error:
            raise ConnectionError(error, os.strerror(error))
        sock.settimeout(pace.stall_seconds)     # blocking again, but a read waits at most this long
        return sock
    except BaseException:
        sock.close()
        raise


def connect(host: str, port: int, abort: Abort, pace: Pace) -> socket.socket:
    """A connected socket to host:port, registered with `abort`; tries each address in turn."""
    failure: OSError = OSError(f"no address for {host}")
    for info in _resolve(host, port, abort, pace):
        try:
            sock = _connect_one(info, abort, pace)
        except OSError as exc:
            failure = exc
            continue
        abort.register(sock)
        return sock
    raise failure


class _AbortableConnection(http.client.HTTPConnection):
    """HTTP whose connect goes through `connect` above (HTTPS adds TLS on top of it)."""

    _abort: Abort
    _pace: Pace

    def connect(self):
        self.sock = connect(self.host, self.port, self._abort, self._pace)
        if self._tunnel_host:
            self._tunnel()


class _AbortableTLSConnection(http.client.HTTPSConnection, _AbortableConnection):
    """HTTPSConnection.connect wraps whatever the next connect in line (ours) returns."""


def _factory(kind: type, abort: Abort, pace: Pace):
    def make(*args, **kwargs):
        connection = kind(*args, **kwargs)
        connection._abort, connection._pace = abort, pace
        return connection
    return make


class _Handler(urllib.request.HTTPHandler):
    def __init__(self, abort: Abort, pace: Pace):
        super().__init__()
        self._make = _factory(_AbortableConnection, abort, pace)

    def http_open(self, req):
        return self.do_open(self._make, req)


class _TLSHandler(urllib.request.HTTPSHandler):
    def __init__(self, abort: Abort, pace: Pace):
        super().__init__()
        self._make = _factory(_AbortableTLSConnection, abort, pace)

    def https_open(self, req):
        return self.do_open(self._make, req, context=self._context)


def open_url(url: str, abort: Abort, pace: Pace):
    """``urlopen(url)`` whose connection `abort` can close at any moment and whose reads wait at
    most ``pace.stall_seconds``; raises Cancelled once aborted."""
    abort.check()
    opener = urllib.request.build_opener(_Handler(abort, pace), _TLSHandler(abort, pace))
    response = opener.open(url, timeout=pace.stall_seconds)
    abort.check()
    return response
