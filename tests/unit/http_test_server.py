"""The loopback server test_http talks to: http_test_server.py PORTFILE.

Binds 127.0.0.1 on a free port, writes the port to PORTFILE (atomically),
and serves until killed. Routes:
  /echo            JSON of the method, headers and body received
  /status/N        status N (?retry_after=S adds Retry-After)
  /bytes/N         N bytes of the test pattern
  /file            the 256 KiB pattern, honouring Range: bytes=N-
  /drop?key=K      /file, but the first request of K breaks off mid-body
  /flaky?key=K     429 with Retry-After: 1 the first time for K, then 200
  /redirect?to=U   302 to U (?code=N for another 3xx)
  /slow            2000 bytes in 20 pieces, 50 ms apart
  /idle            100 bytes, then silence for 5 s
  /late?ms=N       silence for N ms, then 200 "late"
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

FILE_SIZE = 256 * 1024
SEEN = {}
SEEN_LOCK = threading.Lock()


def pattern(start, end):
    return bytes((i * 7) % 251 for i in range(start, end))


def first_time(key):
    with SEEN_LOCK:
        n = SEEN.get(key, 0)
        SEEN[key] = n + 1
    return n == 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def route(self):
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        handler = getattr(self, "do_" + parts[0], None)
        if handler is None:
            self.reply(404, b"no such route")
        else:
            handler(parts, q)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = route

    def do_echo(self, parts, q):
        body = self.read_body()
        out = {
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("latin-1"),
        }
        self.reply(200, json.dumps(out).encode(), [("Content-Type", "application/json")])

    def do_status(self, parts, q):
        self.read_body()
        headers = [("Retry-After", q["retry_after"])] if "retry_after" in q else []
        self.reply(int(parts[1]), ("status %s" % parts[1]).encode(), headers)

    def do_bytes(self, parts, q):
        self.reply(200, pattern(0, int(parts[1])))

    def send_file(self, drop):
        rng = self.headers.get("Range")
        start = int(rng[len("bytes="):].split("-")[0]) if rng else 0
        body = pattern(start, FILE_SIZE)
        if start:
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, FILE_SIZE - 1, FILE_SIZE))
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if drop:
            self.wfile.write(body[: len(body) // 3])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def do_file(self, parts, q):
        self.send_file(False)

    def do_drop(self, parts, q):
        self.send_file(first_time("drop" + q.get("key", "")))

    def do_flaky(self, parts, q):
        if first_time("flaky" + q.get("key", "")):
            self.reply(429, b"slow down", [("Retry-After", "1")])
        else:
            self.reply(200, b"fine")

    def do_redirect(self, parts, q):
        self.reply(int(q.get("code", "302")), b"moved", [("Location", q["to"])])

    def do_slow(self, parts, q):
        self.send_response(200)
        self.send_header("Content-Length", "2000")
        self.end_headers()
        for _ in range(20):
            self.wfile.write(b"x" * 100)
            self.wfile.flush()
            time.sleep(0.05)

    def do_idle(self, parts, q):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"i" * 100)
        self.wfile.flush()
        time.sleep(5)
        self.close_connection = True


    def do_late(self, parts, q):
        time.sleep(int(q.get("ms", "1000")) / 1000.0)
        self.reply(200, b"late", [("X-Late", "yes")])


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # The client hanging up on /slow or /idle is what the tests do.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    server = Server(("127.0.0.1", 0), Handler)
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, sys.argv[1])
    server.serve_forever()


if __name__ == "__main__":
    main()
