"""A real oEmbed server on 127.0.0.1 for the embed tests: a canned answer per provider at
/<provider>, and the ways a provider fails at /slow, /trickle, /error, /not-json,
/not-an-object, /oversized, /oversized-undeclared and /to-a-file."""

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# Posts have an author in oEmbed but no title.
UNTITLED = {"x", "bluesky", "mastodon"}
OVERSIZED = json.dumps({"title": "x" * 200_000}).encode()


def answer(provider):
    if provider in UNTITLED:
        return {"version": "1.0", "type": "rich", "author_name": "NASA", "html": "<p></p>"}
    return {"version": "1.0", "type": "rich", "title": f"  A {provider}\n title  "}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        split = urlsplit(self.path)
        name = split.path.strip("/")
        self.server.requests.append((name, parse_qs(split.query)))
        if name == "slow":
            self.server.stopping.wait(30)
        elif name == "trickle":
            self.send_response(200)
            self.end_headers()
            # A byte at a time, each well within a socket timeout, for five seconds.
            try:
                for _ in range(50):
                    if self.server.stopping.wait(0.1):
                        break
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except ConnectionError:
                pass  # the client gave up, as it should
        elif name == "error":
            self.send(500, b'{"title": "Internal error"}')
        elif name == "not-json":
            self.send(200, b"<!doctype html><title>Not JSON</title>")
        elif name == "not-an-object":
            self.send(200, b'["A title"]')
        elif name == "oversized":
            self.send(200, OVERSIZED)
        elif name == "oversized-undeclared":
            self.send(200, OVERSIZED, declare_length=False)
        elif name == "to-a-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/hostname")
            self.end_headers()
        else:
            self.send(200, json.dumps(answer(name)).encode())

    def send(self, status, body, declare_length=True):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if declare_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except ConnectionError:
            pass  # a client that stopped reading an oversized answer

    def log_message(self, format, *args):
        pass  # a test's output is for its failures


@contextmanager
def serving():
    """The server, running in a thread until the block ends; `.url` is its address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.url = f"http://127.0.0.1:{server.server_port}"
    server.requests = []
    server.stopping = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        # Release the slow handlers first: closing the server waits for every one of them.
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()
