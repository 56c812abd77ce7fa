"""A real HTTP server on 127.0.0.1, started by the tests, serving what they give it.

Imported by the fetch, feed and per-country download tests (the shared
``conftest.py`` belongs to the pipeline). Routes map a path to a
:class:`Route`; every request is recorded, so a test can tell what was fetched.
Byte ranges (``Range: bytes=N-``) are honoured for resumed downloads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What one path answers: status, type, body; ``delay`` seconds before answering;
    ``truncate_once`` sends only that many bytes the first time, then drops the connection."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    truncate_once: int | None = None
    ranges: bool = True
    fail_times: int = 0  # answer 503 this many times first


class Loopback:
    """The running server: ``url(path)``, ``routes``, ``requests`` (method, path, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                with owner.lock:
                    owner.requests.append(("GET", self.path, dict(self.headers.items())))
                route = owner.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    body = b"<html><body><h1>Not Found</h1></body></html>"
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                if route.delay:
                    time.sleep(route.delay)
                body, status = route.body, route.status
                if route.fail_times > 0:
                    route.fail_times -= 1
                    body, status = b"busy", 503
                start = 0
                rng = self.headers.get("Range")
                if rng and route.ranges and rng.startswith("bytes=") and status == 200:
                    start = int(rng[6:].split("-", 1)[0] or 0)
                    status = 206
                self.send_response(status)
                self.send_header("Content-Type", route.content_type)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                if status == 206:
                    self.send_header("Content-Range",
                                     f"bytes {start}-{len(body) - 1}/{len(body)}")
                self.send_header("Content-Length", str(len(body) - start))
                if route.truncate_once is not None:
                    cut, route.truncate_once = route.truncate_once, None
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(body[start:start + cut])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.end_headers()
                self.wfile.write(body[start:])

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # clients that give up (timeouts, size limits) are part of the tests

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.root + path

    def paths(self) -> list[str]:
        with self.lock:
            return [p for _, p, _ in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve() -> Iterator[Loopback]:
    """Start a fresh loopback server, yield it, stop it (the body of a test's fixture)."""
    server = Loopback()
    server.thread.start()
    yield server
    server.close()


def closed_port_url() -> str:
    """An http URL on loopback where nothing listens (a network that is not there)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"
