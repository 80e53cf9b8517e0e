"""Running the receiver under uvicorn: in the foreground, or in a thread (tests, demo)."""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass
from typing import Any

import uvicorn

from sync.receiver.app import ReceiverSettings, create_app

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


@dataclass(frozen=True, slots=True)
class TLSFiles:
    certfile: str
    keyfile: str


def _uvicorn_config(settings: ReceiverSettings, host: str, port: int, tls: TLSFiles | None,
                    log_level: str) -> uvicorn.Config:
    kwargs = {}
    if tls is not None:
        kwargs = {"ssl_certfile": tls.certfile, "ssl_keyfile": tls.keyfile}
    return uvicorn.Config(create_app(settings), host=host, port=port, access_log=False,
                          log_level=log_level, log_config=None, proxy_headers=True,
                          timeout_keep_alive=30, **kwargs)


def serve(settings: ReceiverSettings, host: str = "127.0.0.1", port: int = 8443,
          tls: TLSFiles | None = None, log_level: str = "info") -> None:
    """Serve until interrupted (SIGINT/SIGTERM are handled by uvicorn)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    uvicorn.Server(_uvicorn_config(settings, host, port, tls, log_level)).run()


class ReceiverThread:
    """The receiver on 127.0.0.1 in a background thread, on a port chosen by the OS.

    Example::

        with ReceiverThread(ReceiverSettings(data_dir)) as r:
            requests.get(r.url + "/api/v1/health")
    """

    def __init__(self, settings: ReceiverSettings, host: str = "127.0.0.1", port: int = 0,
                 log_level: str = "warning") -> None:
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted connections only
        # when the listening socket says so; with proto 0 every keep-alive answer waits
        # ~40 ms for a delayed ACK (about 22 requests/s instead of hundreds).
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.host, self.port = self._sock.getsockname()[:2]
        self.url = f"http://{self.host}:{self.port}"
        self._server = uvicorn.Server(_uvicorn_config(settings, host, self.port, None, log_level))
        self._server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]},
                                        name="receiver", daemon=True)

    @property
    def app(self) -> Any:
        """The receiver's FastAPI app (its ``state`` holds the store and the publication parts)."""
        return self._server.config.app

    def start(self) -> "ReceiverThread":
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("receiver failed to start")
            threading.Event().wait(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> "ReceiverThread":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
