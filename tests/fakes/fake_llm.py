#!/usr/bin/env python3
"""A loopback imitation of four LLM APIs, for autokaggle's tests.

One server speaks the four dialects of the wire spec (specs/llm-providers.md
of the project notes), each under its own prefix:
    /openai/v1     OpenAI Chat Completions (SSE, data: [DONE])
    /anthropic     Anthropic Messages (named SSE events, message_stop)
    /gemini/v1beta Gemini streamGenerateContent?alt=sse (EOF after finishReason)
    /ollama        Ollama's native /api/chat (NDJSON, "done": true)
Replies stream in small pieces with delays; what goes wrong is scripted
through /_fake/script. Standard library only: any python3 >= 3.9.
How to start it, the keys and the control API: tests/fakes/README.
"""

import argparse
import json
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

KEYS = {
    "openai": "sk-fake-openai-0123456789abcdef",
    "anthropic": "sk-ant-fake-0123456789abcdef",
    "gemini": "AIzaFakeKey0123456789abcdef",
    "ollama": None,
}
REPLY = "Start with LightGBM on raw features. Caf\u00e9 \u20ac\U0001F600 done."
THOUGHT = "Weighing linear models against GBMs."
USAGE = {"input": 31, "output": 12}
MODELS = {
    "openai": ["gpt-5-mini", "gpt-5"],
    "anthropic": ["claude-sonnet-4-5", "claude-haiku-4-5"],
    "gemini": ["gemini-2.5-flash", "gemini-2.5-pro"],
    "ollama": ["qwen3:8b", "llama3.2:3b"],
}
ROLES = {
    "openai": {"system", "developer", "user", "assistant", "tool"},
    "anthropic": {"user", "assistant"},
    "gemini": {"user", "model"},
    "ollama": {"system", "user", "assistant", "tool"},
}
SCRIPT_KEYS = {"provider", "route", "times", "error", "status", "body", "retry_after", "retry_after_ms",
               "should_retry", "first_byte_ms", "delay_ms", "chunk", "text", "thought", "split", "terminator",
               "bom", "pings", "pause_after", "pause_ms", "inband_error_after", "truncate_after", "drop_after"}


class Fake:
    def __init__(self):
        self.lock = threading.Lock()
        self.log_file = None
        self.reset()

    def reset(self):
        with self.lock:
            self.script = []
            self.requests = []

    def take(self, provider, route):
        with self.lock:
            for s in self.script:
                if s.get("provider", "*") in ("*", provider) and s.get("route", "chat") == route:
                    s["times"] -= 1
                    if s["times"] <= 0:
                        self.script.remove(s)
                    return s
        return {}

    def record(self, entry):
        with self.lock:
            self.requests.append(entry)
        if self.log_file:
            with open(self.log_file, "a") as f:
                f.write(json.dumps(entry) + "\n")


# ---- the error replies, per provider ----

def error_reply(provider, kind, message=None):
    """(status, body) of a pre-stream error in the provider's shape."""
    if provider == "openai":
        table = {"auth": (401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
                 "rate": (429, "requests", "rate_limit_exceeded", "Rate limit reached for requests."),
                 "quota": (429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota."),
                 "overloaded": (503, "server_error", None, "The engine is currently overloaded."),
                 "server": (500, "server_error", None, "The server had an error."),
                 "not_found": (404, "invalid_request_error", "model_not_found", "The model does not exist."),
                 "bad_request": (400, "invalid_request_error", None, "Invalid request.")}
        status, typ, code, msg = table[kind]
        return status, {"error": {"message": message or msg, "type": typ, "param": None, "code": code}}
    if provider == "anthropic":
        table = {"auth": (401, "authentication_error", "invalid x-api-key"),
                 "rate": (429, "rate_limit_error", "Number of requests has exceeded your rate limit."),
                 "quota": (400, "billing_error", "Your credit balance is too low."),
                 "overloaded": (529, "overloaded_error", "Overloaded"),
                 "server": (500, "api_error", "Internal server error"),
                 "not_found": (404, "not_found_error", "model: no-such-model"),
                 "bad_request": (400, "invalid_request_error", "Invalid request.")}
        status, typ, msg = table[kind]
        return status, {"type": "error", "error": {"type": typ, "message": message or msg}, "request_id": "req_fake"}
    if provider == "gemini":
        table = {"auth": (400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.",
                          [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID"}]),
                 "rate": (429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).",
                          [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED"}]),
                 "quota": (429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.",
                           [{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [
                               {"quotaId": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]),
                 "overloaded": (503, "UNAVAILABLE", "The model is overloaded. Please try again later.", []),
                 "server": (500, "INTERNAL", "An internal error has occurred.", []),
                 "not_found": (404, "NOT_FOUND", "models/no-such-model is not found.", []),
                 "bad_request": (400, "INVALID_ARGUMENT", "Invalid request.", [])}
        status, st, msg, details = table[kind]
        return status, {"error": {"code": status, "message": message or msg, "status": st, "details": details}}
    table = {"auth": (401, "unauthorized"), "rate": (429, "too many requests"), "quota": (429, "too many requests"),
             "overloaded": (503, "server busy"), "server": (500, "an error was encountered while running the model"),
             "not_found": (404, "model 'no-such-model' not found"), "bad_request": (400, "invalid request")}
    status, msg = table[kind]
    return status, {"error": message or msg}


def inband_error(provider):
    """The events of an error after 200 OK."""
    if provider == "openai":
        return [sse({"error": {"message": "The server had an error while processing your request.",
                               "type": "server_error", "param": None, "code": None}})]
    if provider == "anthropic":
        return [sse({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}, "error")]
    if provider == "gemini":
        return [sse({"error": {"code": 500, "message": "An internal error has occurred.", "status": "INTERNAL"}})]
    return [ndjson({"error": "an error was encountered while running the model"})]


# ---- the stream events, per provider ----

def sse(obj, event=None):
    data = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
    return ("event: %s\n" % event if event else "") + "data: %s\n\n" % data


def ndjson(obj):
    return json.dumps(obj, ensure_ascii=False) + "\n"


def pieces(text, n):
    return [text[i:i + n] for i in range(0, len(text), n)]


def openai_events(model, text, thought, n):
    head = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1767225600, "model": model}
    ev = [sse(dict(head, choices=[{"index": 0, "delta": {"role": "assistant", "content": ""},
                                   "finish_reason": None}], usage=None))]
    if thought:
        ev.append(sse(dict(head, choices=[{"index": 0, "delta": {"reasoning_content": thought},
                                           "finish_reason": None}], usage=None)))
    texts = [sse(dict(head, choices=[{"index": 0, "delta": {"content": p}, "finish_reason": None}], usage=None,
                      obfuscation="xyz")) for p in pieces(text, n)]
    tail = [sse(dict(head, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}], usage=None)),
            sse(dict(head, choices=[], usage={"prompt_tokens": USAGE["input"], "completion_tokens": USAGE["output"],
                                               "total_tokens": USAGE["input"] + USAGE["output"],
                                               "prompt_tokens_details": {"cached_tokens": 0},
                                               "completion_tokens_details": {"reasoning_tokens": 0}})),
            sse("[DONE]")]
    return ev, texts, tail


def anthropic_events(model, text, thought, n):
    ev = [sse({"type": "message_start", "message": {
        "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": [],
        "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": USAGE["input"], "cache_creation_input_tokens": 0,
                  "cache_read_input_tokens": 0, "output_tokens": 1}}}, "message_start")]
    index = 0
    if thought:
        ev.append(sse({"type": "content_block_start", "index": 0,
                       "content_block": {"type": "thinking", "thinking": ""}}, "content_block_start"))
        ev.append(sse({"type": "content_block_delta", "index": 0,
                       "delta": {"type": "thinking_delta", "thinking": thought}}, "content_block_delta"))
        ev.append(sse({"type": "content_block_stop", "index": 0}, "content_block_stop"))
        index = 1
    ev.append(sse({"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}},
                  "content_block_start"))
    ev.append(sse({"type": "ping"}, "ping"))
    texts = [sse({"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": p}},
                 "content_block_delta") for p in pieces(text, n)]
    tail = [sse({"type": "content_block_stop", "index": index}, "content_block_stop"),
            sse({"type": "brand_new_event"}, "brand_new_event"),
            sse({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                 "usage": {"output_tokens": USAGE["output"]}}, "message_delta"),
            sse({"type": "message_stop"}, "message_stop")]
    return ev, texts, tail


def gemini_events(model, text, thought, n):
    def chunk(parts, usage, finish=None):
        cand = {"content": {"role": "model", "parts": parts}, "index": 0}
        if finish:
            cand["finishReason"] = finish
        return sse({"candidates": [cand], "usageMetadata": usage, "modelVersion": model, "responseId": "r-fake"})

    partial = {"promptTokenCount": USAGE["input"], "totalTokenCount": USAGE["input"]}
    ev = [chunk([{"text": thought, "thought": True}], partial)] if thought else []
    ps = pieces(text, n)
    texts = [chunk([{"text": p}], partial) for p in ps[:-1]]
    final = {"promptTokenCount": USAGE["input"], "candidatesTokenCount": USAGE["output"],
             "totalTokenCount": USAGE["input"] + USAGE["output"]}
    tail = [chunk([{"text": ps[-1] if ps else ""}], final, "STOP")]
    return ev, texts, tail


def ollama_events(model, text, thought, n):
    def line(msg, done=False, **extra):
        return ndjson(dict({"model": model, "created_at": "2026-01-01T10:00:00.1Z",
                            "message": dict({"role": "assistant"}, **msg), "done": done}, **extra))

    ev = [line({"content": "", "thinking": thought})] if thought else []
    texts = [line({"content": p}) for p in pieces(text, n)]
    tail = [line({"content": ""}, True, done_reason="stop", total_duration=912000000, load_duration=2100000,
                 prompt_eval_count=USAGE["input"], prompt_eval_duration=120000000, eval_count=USAGE["output"],
                 eval_duration=700000000)]
    return ev, texts, tail


EVENTS = {"openai": openai_events, "anthropic": anthropic_events, "gemini": gemini_events, "ollama": ollama_events}


def terminate(text, how):
    """Rewrites the LF line ends of SSE text as another terminator."""
    if how == "crlf":
        return text.replace("\n", "\r\n")
    if how == "cr":
        return text.replace("\n", "\r")
    if how == "mixed":
        out, ends = [], ["\r\n", "\n", "\r"]
        for i, part in enumerate(text.split("\n")[:-1]):
            out.append(part + ends[i % 3])
        return "".join(out)
    return text


def tricky_cuts(data):
    """Pieces of data cut inside every multi-byte character and every CRLF."""
    out, start = [], 0
    for i in range(1, len(data)):
        if (data[i] & 0xC0) == 0x80 or (data[i] == 0x0A and data[i - 1] == 0x0D):
            out.append(data[start:i])
            start = i
    out.append(data[start:])
    return out


# ---- the handler ----

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeLLM/1.0"

    def log_message(self, fmt, *args):
        pass

    @property
    def fake(self):
        return self.server.fake

    def do_GET(self):
        url = urlsplit(self.path)
        self.entry = None
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n > 0 else b""
        if url.path.startswith("/_fake/"):
            return self.control(url.path, body)
        provider, _, rest = url.path.lstrip("/").partition("/")
        if provider not in KEYS:
            return self.send_json(404, {"error": "no such provider prefix: /%s" % provider})
        self.provider, self.query = provider, parse_qs(url.query)
        self.entry = {"time": time.time(), "method": self.command, "provider": provider, "path": "/" + rest,
                      "query": url.query, "headers": self.logged_headers(), "body": body.decode("utf-8", "replace"),
                      "status": None}
        self.fake.record(self.entry)
        try:
            self.route("/" + rest, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_POST = do_GET

    def logged_headers(self):
        """Headers for the log: a key's value says only whether it was right."""
        out = {}
        for k, v in self.headers.items():
            if k.lower() in ("authorization", "x-api-key", "x-goog-api-key"):
                key = KEYS.get(urlsplit(self.path).path.lstrip("/").partition("/")[0])
                given = v.split(" ", 1)[1] if k.lower() == "authorization" and " " in v else v
                v = "<the fixture key>" if key and given == key else "<another key>"
            out[k.lower()] = v
        return out

    def given_key(self):
        p = self.provider
        if p == "anthropic":
            return self.headers.get("x-api-key")
        if p == "gemini":
            return self.headers.get("x-goog-api-key") or self.query.get("key", [None])[0]
        auth = self.headers.get("Authorization") or ""
        return auth[7:] if auth.startswith("Bearer ") else None

    def key_ok(self):
        given, want = self.given_key(), KEYS[self.provider]
        if self.provider in ("openai", "ollama") and given is None:
            return True  # like a local server started without a key
        return given == want

    def route(self, path, body):
        p = self.provider
        chat = {"openai": ("POST", "/v1/chat/completions"), "anthropic": ("POST", "/v1/messages"),
                "ollama": ("POST", "/api/chat")}
        models = {"openai": "/v1/models", "anthropic": "/v1/models", "gemini": "/v1beta/models", "ollama": "/api/tags"}
        if self.command == "GET" and path == models[p]:
            return self.models()
        is_chat = chat.get(p) == (self.command, path) or (
            p == "gemini" and self.command == "POST" and path.startswith("/v1beta/models/")
            and path.endswith(":streamGenerateContent"))
        if not is_chat:
            return self.send_error_reply("not_found", "no route %s %s" % (self.command, path))
        self.chat(path, body)

    def gate(self, route):
        """The script for this request after its scripted wait; None when
        an error reply (scripted, or for a wrong key) was sent instead."""
        s = self.fake.take(self.provider, route)
        if s.get("first_byte_ms"):
            time.sleep(s["first_byte_ms"] / 1000.0)
        if s.get("error") or s.get("status"):
            return self.send_scripted_error(s)
        if not self.key_ok():
            return self.send_error_reply("auth")
        return s

    def models(self):
        if self.gate("models") is None:
            return
        ids = MODELS[self.provider]
        if self.provider == "gemini":
            out = {"models": [{"name": "models/" + m, "inputTokenLimit": 1048576, "outputTokenLimit": 65536,
                               "supportedGenerationMethods": ["generateContent", "countTokens"]} for m in ids]
                   + [{"name": "models/text-embedding-004", "supportedGenerationMethods": ["embedContent"]}]}
        elif self.provider == "ollama":
            out = {"models": [{"name": m, "model": m, "size": 5200000000} for m in ids]}
        elif self.provider == "anthropic":
            out = {"data": [{"id": m, "type": "model", "display_name": m} for m in ids], "has_more": False}
        else:
            out = {"object": "list", "data": [{"id": m, "object": "model", "created": 1767225600,
                                               "owned_by": "fake"} for m in ids]}
        self.send_json(200, out)

    def check_chat(self, path, req):
        """What a real server refuses: a message for a 400, or None."""
        p = self.provider
        if not isinstance(req, dict):
            return "the body is not a JSON object"
        msgs = req.get("contents" if p == "gemini" else "messages")
        if not isinstance(msgs, list) or not msgs:
            return "no messages"
        for m in msgs:
            if m.get("role") not in ROLES[p]:
                return "role %r is not one of %s" % (m.get("role"), sorted(ROLES[p]))
        if p == "anthropic":
            if not isinstance(req.get("max_tokens"), int):
                return "max_tokens: Field required"
            if self.headers.get("anthropic-version") is None:
                return "anthropic-version: header is required"
            if msgs[0].get("role") != "user":
                return "the first message must use the user role"
        if p == "gemini" and self.query.get("alt") != ["sse"]:
            return "alt=sse is required by this fake (without it the stream is a JSON array)"
        if p in ("openai", "anthropic") and req.get("stream") is not True:
            return "this fake streams only: send \"stream\": true"
        if p != "gemini" and not req.get("model"):
            return "model: Field required"
        return None

    def chat(self, path, body):
        s = self.gate("chat")
        if s is None:
            return
        try:
            req = json.loads(body.decode() or "null")
        except (UnicodeDecodeError, ValueError):
            req = None
        problem = self.check_chat(path, req)
        if problem:
            return self.send_error_reply("bad_request", problem)
        model = path.split("/")[-1].split(":")[0] if self.provider == "gemini" else req["model"]
        self.stream(s, model)

    def send_scripted_error(self, s):
        headers = {}
        if s.get("retry_after") is not None:
            headers["Retry-After"] = str(s["retry_after"])
        if s.get("retry_after_ms") is not None:
            headers["retry-after-ms"] = str(s["retry_after_ms"])
        if s.get("should_retry") is not None:
            headers["x-should-retry"] = str(s["should_retry"]).lower()
        if s.get("body") is not None:
            return self.send_raw(int(s.get("status") or 500), s["body"].encode(), "text/html", headers)
        status, obj = error_reply(self.provider, s.get("error") or "server")
        if s.get("status"):
            status = int(s["status"])
        self.send_json(status, obj, headers, pretty=True)

    def send_error_reply(self, kind, message=None):
        status, obj = error_reply(self.provider, kind, message)
        self.send_json(status, obj, pretty=True)

    def send_json(self, status, obj, headers=None, pretty=False):
        data = json.dumps(obj, indent=2 if pretty else None).encode()
        self.send_raw(status, data, "application/json", headers or {})

    def send_raw(self, status, data, ctype, headers):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        if self.entry is not None:
            self.entry["status"] = status

    # ---- streaming ----

    def stream(self, s, model):
        p = self.provider
        head, texts, tail = EVENTS[p](model, s.get("text", REPLY), s.get("thought", THOUGHT if p != "openai" else ""),
                                      int(s.get("chunk", 4)))
        k = s.get("inband_error_after")
        if k is not None:
            texts, tail = texts[:int(k)], inband_error(p)
        k = s.get("truncate_after")
        if k is not None:
            texts, tail = texts[:int(k)], []
        events = head + texts + tail
        drop = s.get("drop_after")
        if drop is not None:
            events = head + texts[:int(drop)]
        if p != "ollama":
            if s.get("pings"):
                events = [": ping\n\n"] + [e + ": keep-alive\n\n" for e in events]
            events = [terminate(e, s.get("terminator", "lf")) for e in events]
        if s.get("bom") and events:
            events[0] = "\ufeff" + events[0]
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson" if p == "ollama" else "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.entry["status"] = 200
        self.write_events(s, events, len(head))
        if drop is not None:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def write_events(self, s, events, nhead):
        delay = float(s.get("delay_ms", 20)) / 1000.0
        pause_after = s.get("pause_after")
        for i, ev in enumerate(events):
            data = ev.encode()
            split = s.get("split")
            if split == "bytes":
                parts = [data[j:j + 1] for j in range(len(data))]
            elif split == "tricky":
                parts = tricky_cuts(data)
            else:
                parts = [data]
            for part in parts:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()
                if split:
                    time.sleep(0.001)
            if pause_after is not None and i == nhead + int(pause_after) - 1:
                time.sleep(float(s.get("pause_ms", 2000)) / 1000.0)
            time.sleep(delay)

    # ---- control ----

    def control(self, path, body):
        self.entry = None
        if path == "/_fake/requests" and self.command == "GET":
            with self.fake.lock:
                return self.send_json(200, self.fake.requests)
        if path == "/_fake/reset" and self.command == "POST":
            self.fake.reset()
            return self.send_json(200, {})
        if path == "/_fake/script" and self.command == "POST":
            try:
                script = parse_script(body)
            except ValueError as e:
                return self.send_json(400, {"error": str(e)})
            with self.fake.lock:
                self.fake.script.extend(script)
            return self.send_json(200, {"script": len(script)})
        self.send_json(404, {"error": "no such control route"})


def parse_script(body):
    try:
        items = json.loads(body.decode() or "[]")
    except (UnicodeDecodeError, ValueError):
        raise ValueError("script: the body is not JSON")
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError("script: want a JSON list of objects")
    for i in items:
        unknown = set(i) - SCRIPT_KEYS
        if unknown:
            raise ValueError("script: unknown keys %s" % sorted(unknown))
        if i.get("error") not in (None, "auth", "rate", "quota", "overloaded", "server", "not_found", "bad_request"):
            raise ValueError("script: unknown error %r" % i["error"])
        i["times"] = int(i.get("times", 1))
    return items


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that hangs up mid-stream (cancel, timeout) is what tests do.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main(argv):
    ap = argparse.ArgumentParser(description="A fake LLM server (four dialects) for autokaggle's tests.")
    ap.add_argument("--port-file", required=True, help="where to write the port once accepting connections")
    ap.add_argument("--log", help="append each request as one JSON line to this file")
    args = ap.parse_args(argv)
    fake = Fake()
    fake.log_file = args.log
    server = Server(("127.0.0.1", 0), Handler)
    server.fake = fake
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(tmp, args.port_file)
    stop.wait()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
