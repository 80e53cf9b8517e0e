"""Local stand-ins for the platforms, real HTTP servers on 127.0.0.1 (not the real platforms).

``WebhookConsumer`` is what the Standard Webhooks spec asks of a consumer: it verifies the
signature with the maintained ``standardwebhooks`` library (and rejects an unsigned or
tampered request with 400) and drops a repeated ``webhook-id``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook

FAKE_WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # a made-up test secret, not a real one


class StandIn:
    """A ThreadingHTTPServer on 127.0.0.1 in a thread; ``handle(method, path, headers, body)``."""

    def __init__(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                status, headers, out = outer.handle(self.command, self.path, dict(self.headers.items()), body)
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                try:
                    self.wfile.write(out)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout the test asked for)

            do_GET = do_POST = do_PUT = do_PATCH = _any

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        raise NotImplementedError

    def __enter__(self) -> StandIn:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class WebhookConsumer(StandIn):
    def __init__(self, secret: str = FAKE_WEBHOOK_SECRET) -> None:
        super().__init__()
        self.verifier = Webhook(secret)
        self.lock = threading.Lock()
        self.received: dict[str, dict] = {}   # webhook-id -> payload, each processed once
        self.repeats = 0                      # deliveries of an id already processed (dropped)
        self.rejected = 0                     # bad signatures
        self.requests = 0
        self.fail_next = 0                    # answer 503 to this many requests
        self.delay_s = 0.0
        self.on_request: Callable[[int], None] = lambda _n: None  # called before answering

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        lower = {k.lower(): v for k, v in headers.items()}
        with self.lock:
            self.requests += 1
            n = self.requests
            if self.fail_next:
                self.fail_next -= 1
                return 503, {"Retry-After": "0"}, b"busy"
        try:
            data = self.verifier.verify(body, lower)
        except Exception:
            with self.lock:
                self.rejected += 1
            return 400, {}, b"bad signature"
        time.sleep(self.delay_s)
        with self.lock:
            if lower["webhook-id"] in self.received:
                self.repeats += 1
            else:
                self.received[lower["webhook-id"]] = data
        self.on_request(n)
        return 204, {}, b""

    def submission_ids(self) -> list[str]:
        with self.lock:
            return [p["data"]["id"] for p in self.received.values()]


def write_secret(path, value: str, mode: int = 0o600):  # noqa: ANN001, ANN201
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(mode)
    return path


def receiver_toml(data_dir, text: str) -> None:  # noqa: ANN001
    (data_dir / "receiver.toml").write_text(text, encoding="utf-8")


def as_json(body: bytes) -> Any:
    return json.loads(body)
