"""A fault-injecting HTTP/1.1 proxy on 127.0.0.1, for tests only.

It understands just enough HTTP (requests with Content-Length, responses with
Content-Length) to apply one fault per request:

- ``pass``: forward the request, relay the answer.
- ``reset``: drop the connection as soon as the request arrived (RST).
- ``cut_request``: forward half of the request to the receiver, then close both sides.
- ``cut_response``: forward the request, relay half of the answer, then close
  (the receiver has done the work; the client never learns it).
- ``stall``: hold the request, answer nothing for ``stall_s``, then close.
- ``stall_response``: forward the request, then hold the answer for ``stall_s``.
- ``status:CODE[:RETRY_AFTER]``: answer CODE without asking the receiver.

:meth:`FaultProxy.down` closes the listening socket (connections are refused),
:meth:`FaultProxy.up` listens on the same port again.
"""

from __future__ import annotations

import json
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable

FAULTS = ("reset", "cut_request", "cut_response", "stall", "stall_response",
          "status:500", "status:502", "status:503:1", "status:429:2")


def _read_message(sock: socket.socket, buf: bytearray) -> bytes | None:
    """One HTTP message (head + Content-Length body) from *sock*; None at EOF."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    head_end = buf.index(b"\r\n\r\n") + 4
    length = 0
    for line in bytes(buf[:head_end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(buf) < head_end + length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    message = bytes(buf[: head_end + length])
    del buf[: head_end + length]
    return message


def _reset(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


class FaultProxy:
    """Proxy from ``self.url`` to *upstream* (host, port), one fault per request.

    Args:
        choose: called for every request with its first line; returns the fault name.
        stall_s: how long ``stall`` faults hold a connection.
    """

    def __init__(self, upstream: tuple[str, int], choose: Callable[[bytes], str] | None = None,
                 stall_s: float = 1.0) -> None:
        self.upstream = upstream
        self.choose = choose or (lambda line: "pass")
        self.stall_s = stall_s
        self.applied: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._closing = False
        self._conns: set[socket.socket] = set()
        self._listener = self._listen(0)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._start_accepting()

    # ------------------------------------------------------------ listening
    def _listen(self, port: int) -> socket.socket:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(64)
        return s

    def _start_accepting(self) -> None:
        listener = self._listener
        threading.Thread(target=self._accept_loop, args=(listener,), daemon=True).start()

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._conns.add(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def down(self) -> None:
        """Refuse new connections (nothing listens on the port) and drop open ones."""
        self._stop_listening()
        self._drop_all()

    def up(self) -> None:
        self._listener = self._listen(self.port)
        self._start_accepting()

    def close(self) -> None:
        self._closing = True
        self._stop_listening()
        self._drop_all()

    def _stop_listening(self) -> None:
        # shutdown() first: close() alone leaves the port listening while accept() blocks.
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()

    def _drop_all(self) -> None:
        with self._lock:
            conns, self._conns = list(self._conns), set()
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            c.close()

    # ------------------------------------------------------------- serving
    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        cbuf, ubuf = bytearray(), bytearray()
        try:
            while not self._closing:
                request = _read_message(client, cbuf)
                if request is None:
                    return
                fault = self.choose(request.split(b"\r\n", 1)[0])
                with self._lock:
                    self.applied[fault.split(":")[0] if fault.startswith("status") else fault] += 1
                if fault == "reset":
                    _reset(client)
                    return
                if fault == "stall":
                    time.sleep(self.stall_s)
                    return
                if fault.startswith("status:"):
                    client.sendall(self._canned(fault))
                    continue
                if upstream is None:
                    upstream = socket.create_connection(self.upstream)
                    upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if fault == "cut_request":
                    upstream.sendall(request[: max(1, len(request) // 2)])
                    return
                upstream.sendall(request)
                response = _read_message(upstream, ubuf)
                if response is None:
                    return
                if fault == "cut_response":
                    client.sendall(response[: max(1, len(response) // 2)])
                    return
                if fault == "stall_response":
                    time.sleep(self.stall_s)
                    return
                client.sendall(response)
                if b"\r\nconnection: close" in response.split(b"\r\n\r\n", 1)[0].lower():
                    return
        except OSError:
            return
        finally:
            with self._lock:
                self._conns.discard(client)
            client.close()
            if upstream is not None:
                upstream.close()

    @staticmethod
    def _canned(fault: str) -> bytes:
        parts = fault.split(":")
        code = int(parts[1])
        body = json.dumps({"detail": f"injected {code}", "field": None}).encode()
        head = [f"HTTP/1.1 {code} Injected", "Content-Type: application/json", f"Content-Length: {len(body)}"]
        if len(parts) > 2:
            head.append(f"Retry-After: {parts[2]}")
        return ("\r\n".join(head) + "\r\n\r\n").encode() + body


class RandomFaults:
    """Chooses a fault for a share of requests, until *budget* faults were injected."""

    def __init__(self, seed: int, rate: float, budget: int, kinds: tuple[str, ...] = FAULTS) -> None:
        self.rng = random.Random(seed)
        self.rate = rate
        self.budget = budget
        self.kinds = kinds
        self.lock = threading.Lock()

    def __call__(self, request_line: bytes) -> str:
        with self.lock:
            if self.budget > 0 and self.rng.random() < self.rate:
                self.budget -= 1
                return self.rng.choice(self.kinds)
            return "pass"
