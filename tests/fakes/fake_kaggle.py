#!/usr/bin/env python3
"""A loopback imitation of the Kaggle public API, for autokaggle's tests.

It speaks the RPC form of the API (POST /v1/<service>/<Method>, JSON bodies,
proto3-style omission of default fields), serves signed-style storage URLs
and a submission upload target, and takes scripted faults through /_fake/.
Standard library only: it must run under any python3 >= 3.9.
How to start it, the fixtures and the control API: tests/fakes/README.
"""

import argparse
import base64
import binascii
import csv
import datetime
import email.utils
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

USER = "alice"
KEY = "0123456789abcdef0123456789abcdef"
TOKEN = "KGAT_0123456789abcdef0123456789abcdef"

COMPETITIONS = "competitions.CompetitionApiService"
KERNELS = "kernels.KernelsApiService"
OAUTH = "security.OAuthService"

# How many list/get calls see a new submission (or a pushed kernel) before
# it leaves its first state: enough to exercise the client's polling.
PENDING_POLLS = 2
# busy-fake refuses each method this many times before answering.
BUSY_REFUSALS = 2
CHUNK = 1 << 20
MAX_REQUEST_BODY = 256 << 20
FIRST_SUBMISSION_REF = 50000001
# Built-in files carry this mtime so Last-Modified and creationDate are stable.
BUILTIN_MTIME = 1704067200  # 2024-01-01T00:00:00Z

RULES_MESSAGE = "You must accept this competition's rules before you'll be able to download files."
KERNELS_ONLY_MESSAGE = "This competition only accepts submissions made from a notebook (a code competition)."

GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "UNIMPLEMENTED",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

CATEGORY_NAMES = {
    "FEATURED": "Featured",
    "RESEARCH": "Research",
    "RECRUITMENT": "Recruitment",
    "GETTING_STARTED": "Getting Started",
    "MASTERS": "Masters",
    "PLAYGROUND": "Playground",
    "COMMUNITY": "Community",
    "ANALYTICS": "Analytics",
}

LIST_GROUPS = {"GENERAL", "ENTERED", "COMMUNITY", "HOSTED", "UNLAUNCHED", "UNLAUNCHED_COMMUNITY", "EVERYTHING"}
LIST_SORTS = {"GROUPED", "BEST", "PRIZE", "EARLIEST_DEADLINE", "LATEST_DEADLINE", "NUMBER_OF_TEAMS",
              "RELEVANCE", "RECENTLY_CREATED"}

LEADERBOARD_TEAMS = [
    (101, "Top Team", "2024-03-01T08:00:00Z", "0.90000"),
    (102, "Gradient Descenders", "2024-03-02T09:30:00Z", "0.85000"),
    (103, "Kudos Hunters", "2024-03-03T10:15:00Z", "0.72500"),
    (104, "Baseline Bots", "2024-03-04T11:45:00Z", "0.50000"),
]
ALICE_TEAM_ID = 4242


class ApiError(Exception):
    """An error reply: the Kaggle legacy body, or the Google API one."""

    def __init__(self, status, message, google=False, headers=None, raw=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.google = google
        self.headers = headers or {}
        self.raw = raw

    def body(self):
        if self.raw is not None:
            return self.raw.encode()
        if self.google:
            err = {"code": self.status, "message": self.message,
                   "status": GOOGLE_STATUS.get(self.status, "UNKNOWN")}
            return json.dumps({"error": err}).encode()
        return json.dumps({"code": self.status, "message": self.message}).encode()


class Reply:
    """What a route answers: status, body bytes, extra headers."""

    def __init__(self, status, body=b"", ctype="application/json", headers=None):
        self.status = status
        self.body = body
        self.ctype = ctype
        self.headers = headers or {}


def json_reply(obj):
    return Reply(200, json.dumps(proto3(obj)).encode())


def proto3(value):
    """Drops default-valued fields (0, false, "", empty lists and
    objects, None) the way a proto3 JSON encoder leaves them out."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = proto3(v)
            if v is None or v is False or v == "" or v == [] or v == {}:
                continue
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v == 0:
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [proto3(v) for v in value]
    return value


def iso(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ms(ts):
    d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)


def as_int(value, field):
    """An integer request field: a JSON number, or a decimal string as
    proto3 JSON writes int64 values."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ApiError(400, "Invalid value for %s" % field)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value):
        return int(value)
    raise ApiError(400, "Invalid value for %s" % field)


def page_token(offset):
    return base64.urlsafe_b64encode(b"o%d" % offset).decode().rstrip("=")


def page_of(items, req, default_size, max_size=200):
    """One page of items per pageSize/pageToken (or the old numeric page):
    the slice and the token of the next page, "" on the last one."""
    size = as_int(req.get("pageSize"), "pageSize") or default_size
    if size < 0:
        raise ApiError(400, "pageSize must not be negative")
    size = min(size, max_size)
    token = req.get("pageToken") or ""
    if token:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            offset = int(raw[1:]) if raw[:1] == b"o" else -1
        except (binascii.Error, ValueError):
            offset = -1
        if offset < 0:
            raise ApiError(400, "Invalid page token")
    else:
        page = as_int(req.get("page"), "page")
        offset = (page - 1) * size if page > 0 else 0
    end = offset + size
    return items[offset:end], page_token(end) if end < len(items) else ""


def strip_enum(value, prefix, allowed, field):
    """An enum request field as its bare name; unset means the default."""
    if value is None or value == "":
        return ""
    name = str(value).upper()
    if name.startswith(prefix):
        name = name[len(prefix):]
    if name not in allowed:
        raise ApiError(400, "Invalid value for %s: %s" % (field, value))
    return name


def builtin_files():
    """The built-in binary classification: train.csv, test.csv and an
    all-zero sample_submission.csv, plus the test set's hidden labels."""
    rng = random.Random(8)
    rows = []
    for i in range(1, 161):
        f1 = round(rng.uniform(0, 10), 2)
        f2 = rng.randint(0, 5)
        f3 = rng.choice("abc")
        signal_ = f1 / 10 + (0.3 if f3 == "a" else 0.0) - f2 * 0.05 + rng.uniform(-0.2, 0.2)
        rows.append((i, f1, f2, f3, 1 if signal_ > 0.45 else 0))
    train = "id,f1,f2,f3,target\n" + "".join("%d,%s,%d,%s,%d\n" % r for r in rows[:120])
    test = "id,f1,f2,f3\n" + "".join("%d,%s,%d,%s\n" % r[:4] for r in rows[120:])
    sample = "id,target\n" + "".join("%d,0\n" % r[0] for r in rows[120:])
    hidden = {str(r[0]): str(r[4]) for r in rows[120:]}
    files = {"train.csv": train, "test.csv": test, "sample_submission.csv": sample}
    return files, hidden


class Competition:
    """One competition: its ApiCompetition fields, how it misbehaves
    (kind), and where its files are on disk."""

    def __init__(self, slug, meta, kind, source_dir, hidden=None):
        self.slug = slug
        self.meta = meta
        self.kind = kind
        self.source_dir = source_dir
        self.hidden = hidden
        self.lock = threading.Lock()

    def title(self):
        return self.meta["title"]

    def api(self):
        page = "https://www.kaggle.com/competitions/" + self.slug
        m = dict(self.meta)
        m["ref"] = page
        m["url"] = page
        m["category"] = CATEGORY_NAMES.get(m.pop("segment"), "")
        m.pop("prize", None)
        return m

    def files(self):
        """(name, path) of each data file, names relative with '/'; files
        and folders whose names start with a dot are not data."""
        out = []
        for root, dirs, names in os.walk(self.source_dir):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for n in sorted(names):
                if n.startswith("."):
                    continue
                p = os.path.join(root, n)
                out.append((os.path.relpath(p, self.source_dir).replace(os.sep, "/"), p))
        return out

    def file_path(self, name):
        for n, p in self.files():
            if n == name:
                return p
        return None

    def sample_path(self):
        for n, p in self.files():
            base = n.rsplit("/", 1)[-1].lower()
            if "sample" in base and base.endswith(".csv"):
                return p
        return None


def competition_meta(cid, title, segment, reward, prize, teams, deadline, created, **extra):
    meta = {
        "id": cid, "title": title, "description": "A fixture competition of the fake Kaggle server.",
        "organizationName": "Fake Kaggle", "segment": segment, "reward": reward, "prize": prize,
        "deadline": deadline, "enabledDate": created, "dateCreated": created,
        "teamCount": teams, "kernelCount": teams // 10, "maxDailySubmissions": 5, "maxTeamSize": 5,
        "evaluationMetric": "Categorization Accuracy", "awardsPoints": prize > 0, "hostName": "fake",
    }
    meta.update(extra)
    return meta


def fixture_competitions(builtin_dir, hidden):
    """The named fixtures and twenty generated ones (so listing pages)."""
    named = [
        ("titanic-fake", "Titanic Fake - Machine Learning from Disaster", "normal",
         dict(segment="GETTING_STARTED", reward="Knowledge", prize=0, teams=15000, userHasEntered=True)),
        ("rules-fake", "Rules Fake - Accept the Rules First", "rules",
         dict(segment="FEATURED", reward="$25,000", prize=25000, teams=1200)),
        ("busy-fake", "Busy Fake - Too Many Requests", "busy",
         dict(segment="PLAYGROUND", reward="Swag", prize=0, teams=800, userHasEntered=True)),
        ("google-fake", "Google Fake - Google Shaped Errors", "google",
         dict(segment="RESEARCH", reward="$10,000", prize=10000, teams=300, userHasEntered=True)),
        ("kernels-fake", "Kernels Fake - Code Competition", "kernels",
         dict(segment="FEATURED", reward="$100,000", prize=100000, teams=2500, userHasEntered=True,
              isKernelsSubmissionsOnly=True)),
    ]
    comps = []
    for i, (slug, title, kind, o) in enumerate(named):
        meta = competition_meta(3000 + i, title, o.pop("segment"), o.pop("reward"), o.pop("prize"),
                                o.pop("teams"), "2035-01-0%dT23:59:00Z" % (i + 1),
                                "2024-0%d-01T00:00:00Z" % (i + 1), **o)
        comps.append(Competition(slug, meta, kind, builtin_dir, hidden))
    segments = ["PLAYGROUND", "FEATURED", "COMMUNITY", "RESEARCH", "GETTING_STARTED"]
    for n in range(1, 21):
        prize = (n % 4) * 5000
        closed = n % 7 == 0
        meta = competition_meta(
            4000 + n, "Generated Fake %02d - Tabular Series" % n, segments[n % len(segments)],
            "$%d" % prize if prize else "Kudos", prize, 100 * ((n * 37) % 23 + 1),
            "%d-%02d-15T23:59:00Z" % (2023 if closed else 2030 + n % 5, n % 12 + 1),
            "2024-%02d-%02dT00:00:00Z" % (n % 12 + 1, n), userHasEntered=n % 3 == 0)
        comps.append(Competition("generated-fake-%02d" % n, meta, "normal", builtin_dir, hidden))
    return comps


def data_competition(data_dir, slug, cid):
    mtime = int(os.stat(os.path.join(data_dir, slug)).st_mtime)
    title = " ".join(w.capitalize() for w in slug.split("-"))
    meta = competition_meta(cid, title, "PLAYGROUND", "Knowledge", 0, 10, "2035-06-30T23:59:00Z",
                            iso(mtime), userHasEntered=True)
    # A .competition.json beside the files (not data: it starts with a
    # dot) gives the fields Kaggle would, such as evaluationMetric.
    extra = os.path.join(data_dir, slug, ".competition.json")
    if os.path.exists(extra):
        with open(extra) as f:
            meta.update(json.load(f))
    return Competition(slug, meta, "normal", os.path.join(data_dir, slug))


def score_submission(comp, data):
    """(status, publicScore, errorDescription) of a submitted file: the
    fraction of rows whose second column equals the hidden label."""
    sample = comp.sample_path()
    if sample is None:
        return "ERROR", "", "Evaluation Exception: the competition has no sample submission to score against"
    with open(sample, newline="", encoding="utf-8-sig") as f:
        expected = list(csv.reader(f))
    hidden = comp.hidden
    if hidden is None:
        hidden = dict((r[0], r[1]) for r in expected[1:] if len(r) >= 2)
        solution = os.path.join(comp.source_dir, ".solution.csv")
        if os.path.exists(solution):
            with open(solution, newline="", encoding="utf-8-sig") as f:
                hidden = dict((r[0], r[1]) for r in list(csv.reader(f))[1:] if len(r) >= 2)
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return "ERROR", "", "Evaluation Exception: the submission is not a UTF-8 CSV file"
    if not rows or [c.strip() for c in rows[0]] != expected[0]:
        return "ERROR", "", "Evaluation Exception: the submission's header must be %s" % ",".join(expected[0])
    if len(rows) != len(expected):
        return "ERROR", "", "Evaluation Exception: Submission must have %d rows" % (len(expected) - 1)
    right = 0
    for r in rows[1:]:
        if len(r) < 2 or r[0].strip() not in hidden:
            return "ERROR", "", "Evaluation Exception: unknown or missing id in row %r" % (",".join(r),)
        right += r[1].strip() == hidden[r[0].strip()]
    return "COMPLETE", "%.5f" % (right / max(len(rows) - 1, 1)), ""


class Fake:
    """Everything the fake remembers; one lock guards the mutable parts."""

    def __init__(self, data_dir, state_dir, run_kernels=None, gpu_quota_exhausted=False):
        self.lock = threading.Lock()
        self.state_dir = state_dir
        self.base_url = ""
        # With a Python to run them under, pushed kernels really run.
        self.run_kernels = run_kernels
        self.gpu_quota_exhausted = gpu_quota_exhausted
        self.inputs = {}
        self.kernels = {}
        files, hidden = builtin_files()
        builtin_dir = os.path.join(state_dir, "builtin")
        os.makedirs(builtin_dir, exist_ok=True)
        for name, text in files.items():
            p = os.path.join(builtin_dir, name)
            with open(p, "w", newline="") as f:
                f.write(text)
            os.utime(p, (BUILTIN_MTIME, BUILTIN_MTIME))
        self.comps = {}
        for c in fixture_competitions(builtin_dir, hidden):
            self.comps[c.slug] = c
        if data_dir:
            for i, slug in enumerate(sorted(os.listdir(data_dir))):
                if os.path.isdir(os.path.join(data_dir, slug)) and not slug.startswith("."):
                    old = self.comps.get(slug)
                    c = data_competition(data_dir, slug, 5000 + i)
                    if old is not None:
                        c.meta, c.kind = old.meta, old.kind
                    self.comps[slug] = c
        self.log_file = None
        self.reset()

    def reset(self):
        self.stop_kernels()
        with self.lock:
            self.faults = []
            self.requests = []
            self.submissions = {}
            self.uploads = {}
            self.busy_calls = {}
            self.kernels = {}
            self.next_ref = FIRST_SUBMISSION_REF

    def stop_kernels(self):
        """Kills every kernel still running, with what it started: no
        process of the fake outlives it or a reset."""
        with self.lock:
            runs = [r for k in self.kernels.values() for r in k["versions"].values()]
        for r in runs:
            kill_kernel(r)

    def input_dir(self, comp):
        """/kaggle/input/SLUG of a kernel: a folder of links to the
        competition's data files only, as Kaggle mounts it (no hidden
        solution beside them); made once per start of the fake."""
        with self.lock:
            if comp.slug in self.inputs:
                return self.inputs[comp.slug]
            folder = os.path.join(self.state_dir, "inputs", comp.slug)
            shutil.rmtree(folder, ignore_errors=True)
            for name, path in comp.files():
                link = os.path.join(folder, name)
                os.makedirs(os.path.dirname(link), exist_ok=True)
                os.symlink(os.path.abspath(path), link)
            os.makedirs(folder, exist_ok=True)
            self.inputs[comp.slug] = folder
            return folder

    def take_fault(self, name):
        with self.lock:
            for f in self.faults:
                if f["method"] == name and f["times"] > 0:
                    f["times"] -= 1
                    return dict(f)
        return None

    def record(self, entry):
        with self.lock:
            entry["seq"] = len(self.requests) + 1
            self.requests.append(entry)

    def finish(self, entry):
        if self.log_file:
            with self.lock, open(self.log_file, "a") as f:
                f.write(json.dumps(entry) + "\n")

    def lookup(self, req, method, gate=None):
        """The competition a request names, after the fixture's refusals:
        gate "data" or "submit" adds the rules/Google/kernels ones, "code"
        (a submission from a kernel) the rules/Google ones."""
        slug = req.get("competitionName")
        if not isinstance(slug, str) or not slug:
            raise ApiError(400, "competitionName is required")
        comp = self.comps.get(slug)
        if comp is None:
            raise ApiError(404, "NotFound")
        self.busy_gate(comp, method)
        if gate and comp.kind == "rules":
            raise ApiError(403, RULES_MESSAGE)
        if gate and comp.kind == "google":
            raise ApiError(403, "Permission 'competitions.participate' was denied", google=True)
        if gate == "submit" and comp.kind == "kernels":
            raise ApiError(400, KERNELS_ONLY_MESSAGE)
        return comp

    def busy_gate(self, comp, method):
        if comp.kind != "busy":
            return
        with self.lock:
            n = self.busy_calls.get(method, 0)
            self.busy_calls[method] = n + 1
        if n < BUSY_REFUSALS:
            raise ApiError(429, "Too many requests", headers={"Retry-After": "1"})

    def archive(self, comp):
        """The competition's zip in the state dir, built once; rebuilt only
        when a data file changed (a kept --state survives restarts)."""
        with comp.lock:
            zdir = os.path.join(self.state_dir, "zips")
            os.makedirs(zdir, exist_ok=True)
            zpath = os.path.join(zdir, comp.slug + ".zip")
            files = comp.files()
            sig = json.dumps([(n, os.stat(p).st_size, os.stat(p).st_mtime_ns) for n, p in files])
            try:
                with open(zpath + ".sig") as f:
                    if f.read() == sig and os.path.exists(zpath):
                        return zpath
            except OSError:
                pass
            tmp = zpath + ".tmp"
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
                for n, p in files:
                    z.write(p, n)
            os.replace(tmp, zpath)
            with open(zpath + ".sig", "w") as f:
                f.write(sig)
            return zpath

    def submission_json(self, s, poll):
        """An ApiSubmission; with poll, the call counts as one that saw it,
        so it stays PENDING (status omitted) for PENDING_POLLS calls."""
        out = {"ref": s["ref"], "totalBytes": s["totalBytes"], "date": s["date"],
               "description": s["description"], "fileName": s["fileName"],
               "submittedBy": USER, "submittedByRef": USER, "teamName": USER,
               "url": "https://www.kaggle.com/competitions/%s/submissions" % s["slug"]}
        with self.lock:
            pending = s["polls"] > 0
            if pending and poll:
                s["polls"] -= 1
        if not pending:
            out["status"] = s["status"]
            out["publicScore"] = s["publicScore"]
            out["errorDescription"] = s["errorDescription"]
        return out

    def kernel_file(self, name):
        """A kernel output file by "owner/slug/version/path", or None."""
        root = os.path.realpath(os.path.join(self.state_dir, "kernels"))
        p = os.path.realpath(os.path.join(root, name))
        return p if p.startswith(root + os.sep) and os.path.isfile(p) else None

    def visible_status(self, s):
        return "PENDING" if s["polls"] > 0 else s["status"]


# ---- competition RPCs: each takes (fake, handler, request) -> Reply ----

def rpc_list_competitions(fake, h, req):
    group = strip_enum(req.get("group"), "COMPETITION_LIST_TAB_", LIST_GROUPS, "group")
    category = strip_enum(req.get("category"), "HOST_SEGMENT_", set(CATEGORY_NAMES) | {"UNSPECIFIED"}, "category")
    sort = strip_enum(req.get("sortBy"), "COMPETITION_SORT_BY_", LIST_SORTS, "sortBy")
    search = str(req.get("search") or "").lower()
    comps = list(fake.comps.values())
    if search:
        comps = [c for c in comps if search in c.slug.lower() or search in c.title().lower()]
    if category and category != "UNSPECIFIED":
        comps = [c for c in comps if c.meta["segment"] == category]
    if group == "ENTERED":
        comps = [c for c in comps if c.meta.get("userHasEntered")]
    keys = {
        "PRIZE": (lambda c: -c.meta["prize"]),
        "EARLIEST_DEADLINE": (lambda c: c.meta["deadline"]),
        "LATEST_DEADLINE": (lambda c: [-ord(ch) for ch in c.meta["deadline"]]),
        "NUMBER_OF_TEAMS": (lambda c: -c.meta["teamCount"]),
        "RECENTLY_CREATED": (lambda c: [-ord(ch) for ch in c.meta["dateCreated"]]),
    }
    comps.sort(key=lambda c: c.meta["id"])
    if sort in keys:
        comps.sort(key=keys[sort])
    page, nxt = page_of(comps, req, 20)
    return json_reply({"competitions": [c.api() for c in page], "nextPageToken": nxt})


def rpc_get_competition(fake, h, req):
    return json_reply(fake.lookup(req, "GetCompetition").api())


def rpc_list_data_files(fake, h, req):
    comp = fake.lookup(req, "ListDataFiles")
    files = []
    for name, p in comp.files():
        st = os.stat(p)
        files.append({"ref": name, "name": name, "totalBytes": st.st_size,
                      "url": "https://www.kaggle.com/competitions/%s/data?select=%s" % (comp.slug, quote(name)),
                      "creationDate": iso(st.st_mtime)})
    page, nxt = page_of(files, req, 20)
    return json_reply({"files": page, "nextPageToken": nxt})


def storage_redirect(h, slug, name):
    url = "%s/storage/%s/%s?X-Goog-Signature=%s" % (h.base, quote(slug), quote(name), secrets.token_hex(16))
    return Reply(302, b"", headers={"Location": url})


def rpc_download_data_files(fake, h, req):
    comp = fake.lookup(req, "DownloadDataFiles", gate="data")
    fake.archive(comp)
    return storage_redirect(h, comp.slug, comp.slug + ".zip")


def rpc_download_data_file(fake, h, req):
    comp = fake.lookup(req, "DownloadDataFile", gate="data")
    name = req.get("fileName")
    if not isinstance(name, str) or not name:
        raise ApiError(400, "fileName is required", google=comp.kind == "google")
    if comp.file_path(name) is None:
        raise ApiError(404, "NotFound", google=comp.kind == "google")
    return storage_redirect(h, comp.slug, name)


def rpc_start_submission_upload(fake, h, req):
    comp = fake.lookup(req, "StartSubmissionUpload", gate="submit")
    upload_id = secrets.token_hex(12)
    token = "blob-" + secrets.token_hex(16)
    with fake.lock:
        fake.uploads[token] = {"id": upload_id, "slug": comp.slug, "fileName": str(req.get("fileName") or ""),
                               "contentLength": as_int(req.get("contentLength"), "contentLength"),
                               "data": None, "used": False}
    return json_reply({"token": token, "createUrl": "%s/upload/%s" % (h.base, upload_id)})


def day_count(fake, slug):
    today = time.strftime("%Y-%m-%d", time.gmtime())
    return sum(1 for s in fake.submissions.values() if s["slug"] == slug and s["date"].startswith(today))


def rpc_create_submission(fake, h, req):
    comp = fake.lookup(req, "CreateSubmission", gate="submit")
    token = req.get("blobFileTokens")
    if not isinstance(token, str) or not token:
        raise ApiError(400, "blobFileTokens is required")
    with fake.lock:
        up = fake.uploads.get(token)
        if up is None or up["slug"] != comp.slug:
            raise ApiError(400, "Unknown blob file token: call StartSubmissionUpload first")
        if up["data"] is None:
            raise ApiError(400, "The file for this blob token was never uploaded")
        if up["used"]:
            raise ApiError(400, "This blob token was already submitted")
        ref = take_ref(fake, comp)
        up["used"] = True
    return store_submission(fake, comp, ref, req, up["fileName"], up["data"])


def take_ref(fake, comp):
    """The ref of a new submission to comp, within its daily allowance;
    the caller holds fake.lock."""
    limit = comp.meta["maxDailySubmissions"]
    if day_count(fake, comp.slug) >= limit:
        raise ApiError(400, "Your team has used its daily Submission allowance (%d) today, please try again "
                            "tomorrow UTC" % limit)
    ref = fake.next_ref
    fake.next_ref += 1
    return ref


def store_submission(fake, comp, ref, req, file_name, data):
    """Scores data, keeps it as submission ref (PENDING for a few polls)
    and answers Kaggle's message."""
    status, score, error = score_submission(comp, data)
    sub = {"ref": ref, "slug": comp.slug, "date": iso_ms(time.time()), "fileName": file_name,
           "description": str(req.get("submissionDescription") or ""), "totalBytes": len(data),
           "status": status, "publicScore": score, "errorDescription": error, "polls": PENDING_POLLS}
    with fake.lock:
        fake.submissions[ref] = sub
    return json_reply({"message": "Successfully submitted to " + comp.title(), "ref": ref})


def rpc_list_submissions(fake, h, req):
    comp = fake.lookup(req, "ListSubmissions")
    group = strip_enum(req.get("group"), "SUBMISSION_GROUP_", {"ALL", "SUCCESSFUL", "SELECTED"}, "group")
    sort = strip_enum(req.get("sortBy"), "SUBMISSION_SORT_BY_", {"DATE", "NAME", "PRIVATE_SCORE", "PUBLIC_SCORE"},
                      "sortBy")
    with fake.lock:
        subs = [s for s in fake.submissions.values() if s["slug"] == comp.slug]
        if group == "SUCCESSFUL":
            subs = [s for s in subs if fake.visible_status(s) == "COMPLETE"]
        elif group == "SELECTED":
            subs = []
    subs.sort(key=lambda s: -s["ref"])
    if sort == "NAME":
        subs.sort(key=lambda s: s["fileName"])
    elif sort in ("PUBLIC_SCORE", "PRIVATE_SCORE"):
        subs.sort(key=lambda s: -float(s["publicScore"] or -1))
    page, nxt = page_of(subs, req, 20)
    return json_reply({"submissions": [fake.submission_json(s, True) for s in page], "nextPageToken": nxt})


def rpc_get_submission(fake, h, req):
    ref = as_int(req.get("ref"), "ref")
    sub = fake.submissions.get(ref)
    if sub is None:
        raise ApiError(404, "NotFound")
    fake.busy_gate(fake.comps[sub["slug"]], "GetSubmission")
    return json_reply(fake.submission_json(sub, True))


def rpc_get_submission_limits(fake, h, req):
    comp = fake.lookup(req, "GetSubmissionLimits")
    limit = comp.meta["maxDailySubmissions"]
    with fake.lock:
        today = day_count(fake, comp.slug)
        total = sum(1 for s in fake.submissions.values() if s["slug"] == comp.slug)
    return json_reply({"numToday": today, "numTotal": total, "numAllowedNow": max(limit - today, 0),
                       "limitedByTotal": False})


def leaderboard(fake, comp):
    rows = [{"teamId": t, "teamName": n, "submissionDate": d, "score": s} for t, n, d, s in LEADERBOARD_TEAMS]
    with fake.lock:
        mine = [s for s in fake.submissions.values()
                if s["slug"] == comp.slug and fake.visible_status(s) == "COMPLETE"]
    if mine:
        best = max(mine, key=lambda s: (float(s["publicScore"]), -s["ref"]))
        rows.append({"teamId": ALICE_TEAM_ID, "teamName": USER, "submissionDate": best["date"],
                     "score": best["publicScore"]})
    rows.sort(key=lambda r: -float(r["score"]))
    return rows


def rpc_get_leaderboard(fake, h, req):
    comp = fake.lookup(req, "GetLeaderboard")
    page, nxt = page_of(leaderboard(fake, comp), req, 50)
    return json_reply({"submissions": page, "nextPageToken": nxt})


def rpc_download_leaderboard(fake, h, req):
    comp = fake.lookup(req, "DownloadLeaderboard")
    text = "Rank,TeamId,TeamName,LastSubmissionDate,Score\n" + "".join(
        "%d,%d,%s,%s,%s\n" % (i + 1, r["teamId"], r["teamName"], r["submissionDate"], r["score"])
        for i, r in enumerate(leaderboard(fake, comp)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("%s-publicleaderboard-%s.csv" % (comp.slug, time.strftime("%Y-%m-%d", time.gmtime())), text)
    return Reply(200, buf.getvalue(), "application/zip",
                 {"Content-Disposition": "attachment; filename=%s.zip" % comp.slug})


def rpc_introspect_token(fake, h, req):
    if req.get("token") != TOKEN:
        return json_reply({"active": False})
    return json_reply({"active": True, "username": USER, "clientId": "fake-kaggle-cli", "userId": 1,
                       "scope": "resources.admin:*", "exp": int(time.time()) + 86400})


# ---- kernel RPCs ----

KERNEL_FAIL_MARKER = "FAKE_KERNEL_FAIL"
KERNEL_OUTPUT_PAGE = 2
KERNEL_RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel_runner.py")
GPU_QUOTA_MESSAGE = "Maximum weekly GPU quota of 30.00 hours reached."
SCRIPTED_LOG = [{"stream_name": "stdout", "time": 0.5, "data": "fitting\n"},
                {"stream_name": "stderr", "time": 1.25, "data": "a warning\n"},
                {"stream_name": "stdout", "time": 2.0, "data": "done\n"}]


def kernel_key(req, owner_field="userName", slug_field="kernelSlug"):
    owner, slug = req.get(owner_field), req.get(slug_field)
    if not isinstance(owner, str) or not owner or not isinstance(slug, str) or not slug:
        raise ApiError(400, "%s and %s are required" % (owner_field, slug_field))
    return owner + "/" + slug


def invalid_sources(fake, req):
    """The data sources the server would drop, per request list."""
    comps = [c for c in req.get("competitionDataSources") or [] if c not in fake.comps]

    def owned(v):
        return isinstance(v, str) and re.fullmatch(r"[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_.-]*", v)
    datasets = [d for d in req.get("datasetDataSources") or [] if not owned(d)]
    kernels = [k for k in req.get("kernelDataSources") or [] if not owned(k)]
    return {"invalidCompetitionSources": comps, "invalidDatasetSources": datasets,
            "invalidKernelSources": kernels}


def truthy(value):
    """A request bool: JSON true, or "true" as kernel-metadata.json may say."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def rpc_save_kernel(fake, h, req):
    full = req.get("slug")
    if req.get("id"):
        with fake.lock:
            full = next((k for k, v in fake.kernels.items() if v["kernelId"] == as_int(req["id"], "id")), None)
        if full is None:
            return json_reply({"error": "Notebook not found"})
    if not isinstance(full, str) or full.count("/") != 1:
        return json_reply({"error": "The kernel slug must be \"owner/slug\""})
    owner, slug = full.split("/")
    if owner != USER:
        raise ApiError(403, "Permission 'kernels.edit' was denied")
    if len(slug) < 5:
        return json_reply({"error": "The kernel slug must be at least 5 characters long"})
    if not isinstance(req.get("text"), str) or not req["text"]:
        return json_reply({"error": "The kernel has no code (text is empty)"})
    if fake.gpu_quota_exhausted and truthy(req.get("enableGpu")):
        return json_reply({"error": GPU_QUOTA_MESSAGE})
    dropped = invalid_sources(fake, req)
    with fake.lock:
        k = fake.kernels.get(full)
        if k is None:
            k = fake.kernels[full] = {"kernelId": 90000 + len(fake.kernels) + 1, "version": 0, "versions": {}}
        older = list(k["versions"].values())
        version = k["version"] = k["version"] + 1
        run = k["versions"][version] = {
            "version": version, "text": req["text"], "polls": 0, "proc": None, "rc": None, "failure": "",
            "notebook": str(req.get("kernelType") or "").lower() == "notebook",
            "competitions": [c for c in req.get("competitionDataSources") or [] if c in fake.comps]}
        kid = k["kernelId"]
    # A new version replaces a run still going, as on Kaggle.
    for r in older:
        kill_kernel(r)
    # A reset restarts version numbers: outputs of an earlier life go.
    shutil.rmtree(os.path.join(fake.state_dir, "kernels", full, str(version)), ignore_errors=True)
    if fake.run_kernels:
        start_kernel(fake, full, run)
    return json_reply(dict(dropped, ref="/code/" + full, url="https://www.kaggle.com/code/" + full,
                           versionNumber=version, kernelId=kid))


def start_kernel(fake, key, run):
    """Runs a pushed version for real: kernel_runner.py under the given
    Python, in STATE/kernels/KEY/VERSION/working, each competition source
    as its /kaggle/input/SLUG; stdout, stderr and the log beside working/.
    Its own session, so that killing the group ends what it started."""
    vdir = os.path.join(fake.state_dir, "kernels", key, str(run["version"]))
    working = os.path.join(vdir, "working")
    os.makedirs(working)
    code = os.path.join(vdir, "kernel.ipynb" if run["notebook"] else "kernel.py")
    with open(code, "w", encoding="utf-8") as f:
        f.write(run["text"])
    argv = [fake.run_kernels, KERNEL_RUNNER, "--working", working, "--log", os.path.join(vdir, "log.json")]
    for slug in run["competitions"]:
        argv += ["--input", "%s=%s" % (slug, fake.input_dir(fake.comps[slug]))]
    with open(os.path.join(vdir, "stdout.txt"), "wb") as out, open(os.path.join(vdir, "stderr.txt"), "wb") as err:
        proc = subprocess.Popen(argv + [code], stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=working,
                                start_new_session=True)
    with fake.lock:
        run.update(proc=proc, dir=vdir)
    threading.Thread(target=watch_kernel, args=(fake, run), daemon=True).start()


def watch_kernel(fake, run):
    """Waits for a run's end; keeps its exit status and, for ERROR, the
    last line it wrote to stderr."""
    rc = run["proc"].wait()
    failure = ""
    if rc != 0:
        try:
            with open(os.path.join(run["dir"], "stderr.txt"), encoding="utf-8", errors="replace") as f:
                lines = [l.strip() for l in f if l.strip()]
        except OSError:
            lines = []
        failure = lines[-1] if lines else "The kernel exited with status %d" % rc
    with fake.lock:
        run.update(rc=rc, failure=failure)


def kill_kernel(run):
    """Kills a run's process group while its runner lives (the group is
    surely still its own then)."""
    proc = run.get("proc")
    if proc is not None and proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def kernel_status(run):
    """QUEUED (0, omitted on the wire) on the first poll; then, for a run
    that really runs, RUNNING until its process ends and COMPLETE or ERROR
    by its exit status; scripted, RUNNING on the next poll, then COMPLETE,
    or ERROR when the code holds the fail marker. The caller holds
    fake.lock."""
    if run["polls"] == 0:
        return "QUEUED"
    if run["proc"] is not None:
        if run["rc"] is None:
            return "RUNNING"
        return "COMPLETE" if run["rc"] == 0 else "ERROR"
    if run["polls"] == 1:
        return "RUNNING"
    return "ERROR" if KERNEL_FAIL_MARKER in run["text"] else "COMPLETE"


def kernel_finished(run):
    """Whether a version's outputs are there to list: its process ended,
    or (scripted) it was polled past RUNNING. The caller holds fake.lock."""
    if run["proc"] is not None:
        return run["rc"] is not None
    return run["polls"] >= 2


def known_kernel(fake, req):
    """The (key, record, latest version) of the kernel a request names;
    the caller holds fake.lock."""
    key = kernel_key(req)
    k = fake.kernels.get(key)
    if k is None:
        raise ApiError(404, "NotFound")
    return key, k, k["versions"][k["version"]]


def rpc_get_kernel_session_status(fake, h, req):
    with fake.lock:
        _, _, run = known_kernel(fake, req)
        status = kernel_status(run)
        run["polls"] += 1
        failure = run["failure"]
    out = {"status": "" if status == "QUEUED" else status}
    if status == "ERROR":
        out["failureMessage"] = failure or "Your notebook hit an unhandled error while rendering (%s)" % \
            KERNEL_FAIL_MARKER
    return json_reply(out)


def kernel_outputs(fake, key, run):
    """(folder under STATE/kernels, names relative with '/') of the files a
    finished version wrote: all of a real run's working directory; else
    made up, a submission from the first competition source's sample and
    two more so that the listing takes two pages."""
    rel = "%s/%d" % (key, run["version"])
    folder = os.path.join(fake.state_dir, "kernels", key, str(run["version"]))
    if run["proc"] is not None:
        working = os.path.join(folder, "working")
        names = []
        for root, dirs, files in os.walk(working):
            dirs.sort()
            names += [os.path.relpath(os.path.join(root, n), working).replace(os.sep, "/") for n in sorted(files)]
        return rel + "/working", names
    sample = None
    for slug in run["competitions"] + ["titanic-fake"]:
        sample = fake.comps[slug].sample_path()
        if sample:
            break
    if not os.path.isdir(folder):
        os.makedirs(os.path.join(folder, "output"))
        with open(sample, "rb") as src, open(os.path.join(folder, "submission.csv"), "wb") as dst:
            dst.write(src.read())
        with open(os.path.join(folder, "output", "metrics.json"), "w") as f:
            json.dump({"cv": 0.8, "version": run["version"]}, f)
        with open(os.path.join(folder, "notes.txt"), "w") as f:
            f.write("written by %s version %d\n" % (key, run["version"]))
    return rel, ["notes.txt", "output/metrics.json", "submission.csv"]


def kernel_log(run):
    """The log as ListKernelSessionOutput sends it: a JSON array in a
    string, the runner's for a real run."""
    if run["proc"] is None:
        return json.dumps(SCRIPTED_LOG)
    try:
        with open(os.path.join(run["dir"], "log.json"), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return "[]"


def rpc_list_kernel_session_output(fake, h, req):
    with fake.lock:
        key, _, run = known_kernel(fake, req)
        if not kernel_finished(run):
            return json_reply({})
        rel, names = kernel_outputs(fake, key, run)
    files = [{"fileName": n, "url": "%s/storage/_kernels/%s/%s?X-Goog-Signature=%s" % (
        h.base, quote(rel), quote(n), secrets.token_hex(16))} for n in names]
    page, nxt = page_of(files, req, KERNEL_OUTPUT_PAGE)
    return json_reply({"files": page, "log": kernel_log(run), "nextPageToken": nxt})


def rpc_create_code_submission(fake, h, req):
    """A submission scored from a kernel version's output file."""
    comp = fake.lookup(req, "CreateCodeSubmission", gate="code")
    key = kernel_key(req, "kernelOwner", "kernelSlug")
    name = req.get("fileName")
    if not isinstance(name, str) or not name:
        raise ApiError(400, "fileName is required")
    with fake.lock:
        k = fake.kernels.get(key)
        run = k["versions"].get(as_int(req.get("kernelVersion"), "kernelVersion") or k["version"]) if k else None
        if run is None:
            raise ApiError(404, "NotFound")
        # Judged as on the next poll: a run that has ended is not QUEUED
        # because nobody polled it yet.
        status = kernel_status(dict(run, polls=max(run["polls"], 1)))
        if status != "COMPLETE":
            raise ApiError(400, "Version %d of kernel %s is %s, not COMPLETE: only a finished successful run "
                                "can be submitted" % (run["version"], key, status))
        rel, _ = kernel_outputs(fake, key, run)
    path = fake.kernel_file(rel + "/" + name)
    if path is None:
        raise ApiError(400, "Version %d of kernel %s has no output file %s" % (run["version"], key, name))
    with open(path, "rb") as f:
        data = f.read()
    with fake.lock:
        ref = take_ref(fake, comp)
    return store_submission(fake, comp, ref, req, os.path.basename(name), data)


RPCS = {
    (COMPETITIONS, "ListCompetitions"): rpc_list_competitions,
    (COMPETITIONS, "GetCompetition"): rpc_get_competition,
    (COMPETITIONS, "ListDataFiles"): rpc_list_data_files,
    (COMPETITIONS, "DownloadDataFiles"): rpc_download_data_files,
    (COMPETITIONS, "DownloadDataFile"): rpc_download_data_file,
    (COMPETITIONS, "StartSubmissionUpload"): rpc_start_submission_upload,
    (COMPETITIONS, "CreateSubmission"): rpc_create_submission,
    (COMPETITIONS, "ListSubmissions"): rpc_list_submissions,
    (COMPETITIONS, "GetSubmission"): rpc_get_submission,
    (COMPETITIONS, "GetSubmissionLimits"): rpc_get_submission_limits,
    (COMPETITIONS, "GetLeaderboard"): rpc_get_leaderboard,
    (COMPETITIONS, "DownloadLeaderboard"): rpc_download_leaderboard,
    (OAUTH, "IntrospectToken"): rpc_introspect_token,
    (COMPETITIONS, "CreateCodeSubmission"): rpc_create_code_submission,
    (KERNELS, "SaveKernel"): rpc_save_kernel,
    (KERNELS, "GetKernelSessionStatus"): rpc_get_kernel_session_status,
    (KERNELS, "ListKernelSessionOutput"): rpc_list_kernel_session_output,
}


def authorized(header):
    scheme, _, value = (header or "").partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return value == TOKEN
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value, validate=True).decode() == "%s:%s" % (USER, KEY)
        except (binascii.Error, UnicodeDecodeError):
            return False
    return False


def logged_body(body):
    """The request body for the log: JSON only, a token never verbatim."""
    try:
        obj = json.loads(body) if body else None
    except ValueError:
        return None
    if isinstance(obj, dict) and "token" in obj:
        obj = dict(obj, token="<redacted>")
    return obj


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeKaggle/1.0"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_HEAD = do_DELETE = do_GET

    @property
    def fake(self):
        return self.server.fake

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        if n > MAX_REQUEST_BODY:
            raise ApiError(413, "Request body too large")
        return self.rfile.read(n) if n > 0 else b""

    def dispatch(self):
        target = urlsplit(self.path)
        # A proxied (absolute-form) request gets URLs that go back through
        # the same proxy; a direct one gets this server's own address.
        self.base = "%s://%s" % (target.scheme, target.netloc) if target.scheme else self.fake.base_url
        path = unquote(target.path)
        query = parse_qs(target.query)
        try:
            body = self.read_body()
        except (ValueError, ApiError):
            self.close_connection = True
            return self.send(Reply(400, ApiError(400, "Bad Request").body()))
        if path.startswith("/_fake/"):
            return self.control(path, body)
        if path.startswith("/api/v1/"):
            path = path[len("/api"):]
        auth = self.headers.get("Authorization")
        headers = {k: (v.split(" ", 1)[0] if k.lower() == "authorization" else v) for k, v in self.headers.items()}
        entry = {"time": iso_ms(time.time()), "method": self.command, "path": path, "query": target.query,
                 "rpc": None, "headers": headers, "authorization": auth is not None, "body": logged_body(body),
                 "bodyBytes": len(body)}
        self.entry = entry
        self.fake.record(entry)
        try:
            if path.startswith("/storage/"):
                self.route_storage(path, query)
            elif path.startswith("/upload/"):
                self.route_upload(path, body)
            else:
                self.route_rpc(path, body, auth)
        except ApiError as e:
            self.send(Reply(e.status, e.body(), headers=e.headers))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # a bug in the fake: say so in the reply and on stderr, keep serving
            sys.stderr.write("fake_kaggle: %s %s: %s: %s\n" % (self.command, path, type(e).__name__, e))
            self.close_connection = True
            self.send(Reply(500, ApiError(500, "fake_kaggle bug: %s" % e).body()))
        finally:
            self.fake.finish(entry)

    def apply_fault(self, name):
        """Runs a scripted fault for this route: a delay, an error reply;
        returns a drop_after fault for the caller to honour."""
        self.entry["rpc"] = name if self.entry["rpc"] is None else self.entry["rpc"]
        fault = self.fake.take_fault(name)
        if fault is None:
            return None
        self.entry["fault"] = {k: v for k, v in fault.items() if k != "times"}
        if fault.get("delay_ms"):
            time.sleep(fault["delay_ms"] / 1000.0)
        if fault.get("status"):
            headers = {"Retry-After": str(fault["retry_after"])} if fault.get("retry_after") is not None else {}
            raise ApiError(fault["status"], fault.get("message") or "Injected fault", headers=headers,
                           raw=fault.get("body"))
        return fault if fault.get("drop_after") is not None else None

    def route_rpc(self, path, body, auth):
        m = re.fullmatch(r"/v1/([A-Za-z0-9_.]+)/([A-Za-z0-9_]+)", path)
        if m is None:
            raise ApiError(404, "NotFound")
        self.entry["rpc"] = m.group(2)
        drop = self.apply_fault(m.group(2))
        if self.command != "POST":
            raise ApiError(405, "Method Not Allowed: the API takes POST only")
        if not authorized(auth):
            raise ApiError(401, "Unauthenticated")
        route = RPCS.get((m.group(1), m.group(2)))
        if route is None:
            raise ApiError(404, "NotFound")
        try:
            req = json.loads(body.decode() or "{}")
        except (UnicodeDecodeError, ValueError):
            req = None
        if not isinstance(req, dict):
            raise ApiError(400, "Bad Request: the body must be a JSON object")
        self.send(route(self.fake, self, req), drop)

    def route_upload(self, path, body):
        drop = self.apply_fault("upload")
        if self.command != "PUT":
            raise ApiError(405, "Method Not Allowed: PUT the file")
        upload_id = path[len("/upload/"):]
        with self.fake.lock:
            up = next((u for u in self.fake.uploads.values() if u["id"] == upload_id), None)
            if up is not None:
                up["data"] = body
        if up is None:
            raise ApiError(404, "No such upload session")
        self.send(Reply(200), drop)

    def route_storage(self, path, query):
        drop = self.apply_fault("storage")
        if self.command not in ("GET", "HEAD"):
            raise ApiError(405, "Method Not Allowed")
        slug, _, name = path[len("/storage/"):].partition("/")
        if not query.get("X-Goog-Signature", [""])[0]:
            return self.send(storage_error(403, "AccessDenied", "Anonymous caller does not have storage.objects.get access."))
        comp = self.fake.comps.get(slug)
        if slug == "_kernels":
            fpath = self.fake.kernel_file(name)
        elif comp is not None and name == slug + ".zip":
            fpath = self.fake.archive(comp)
        else:
            fpath = comp.file_path(name) if comp is not None else None
        if fpath is None:
            return self.send(storage_error(404, "NoSuchKey", "The specified key does not exist."))
        self.send_file(fpath, drop)

    def send_file(self, fpath, drop):
        size = os.path.getsize(fpath)
        start, end, status = 0, size - 1, 200
        headers = {"Last-Modified": email.utils.formatdate(os.path.getmtime(fpath), usegmt=True),
                   "Accept-Ranges": "bytes"}
        m = re.fullmatch(r"\s*bytes=(\d+)-(\d*)\s*", self.headers.get("Range") or "")
        if m:
            start = int(m.group(1))
            end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
            if start >= size or end < start:
                headers["Content-Range"] = "bytes */%d" % size
                return self.send(Reply(416, b"", "text/plain", headers))
            status = 206
            headers["Content-Range"] = "bytes %d-%d/%d" % (start, end, size)
        ctype = "application/zip" if fpath.endswith(".zip") else "application/octet-stream"
        count = end - start + 1
        self.send_head(status, ctype, count, headers)
        if self.command == "HEAD":
            return
        with open(fpath, "rb") as f:
            if drop is None:
                self.connection.sendfile(f, start, count)
                return
            f.seek(start)
            left = min(count, int(drop["drop_after"]))
            while left > 0:
                chunk = f.read(min(CHUNK, left))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)
        self.drop_connection()

    def send_head(self, status, ctype, length, headers):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.entry_status(status)

    def entry_status(self, status):
        entry = getattr(self, "entry", None)
        if entry is not None:
            entry["status"] = status

    def send(self, reply, drop=None):
        self.send_head(reply.status, reply.ctype, len(reply.body), reply.headers)
        if self.command == "HEAD":
            return
        if drop is None:
            self.wfile.write(reply.body)
            return
        self.wfile.write(reply.body[:int(drop["drop_after"])])
        self.drop_connection()

    def drop_connection(self):
        """Ends the exchange short of its Content-Length, as a dropped
        link would."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def control(self, path, body):
        self.entry = None
        if path == "/_fake/requests" and self.command == "GET":
            with self.fake.lock:
                data = json.dumps(self.fake.requests).encode()
            return self.send(Reply(200, data))
        if path == "/_fake/reset" and self.command == "POST":
            self.fake.reset()
            return self.send(Reply(200, b"{}"))
        if path == "/_fake/faults" and self.command == "POST":
            try:
                faults = parse_faults(body)
            except ValueError as e:
                return self.send(Reply(400, json.dumps({"code": 400, "message": str(e)}).encode()))
            with self.fake.lock:
                self.fake.faults.extend(faults)
            return self.send(Reply(200, json.dumps({"faults": len(faults)}).encode()))
        self.send(Reply(404, b'{"code":404,"message":"NotFound"}'))


def parse_faults(body):
    """The faults of a POST /_fake/faults body: a list (or one object) of
    {"method", "times", and status/retry_after/body, reply, drop_after or
    delay_ms}. A "reply" object is a 200 with that JSON body: how Kaggle
    answers logical failures such as {"error": "Notebook not found"}."""
    try:
        faults = json.loads(body.decode() or "[]")
    except (UnicodeDecodeError, ValueError):
        raise ValueError("faults: the body is not JSON")
    if isinstance(faults, dict):
        faults = [faults]
    if not isinstance(faults, list):
        raise ValueError("faults: want a JSON list of fault objects")
    out = []
    for f in faults:
        if not isinstance(f, dict) or not isinstance(f.get("method"), str):
            raise ValueError("faults: each fault needs a \"method\"")
        if not any(f.get(k) is not None for k in ("status", "reply", "drop_after", "delay_ms")):
            raise ValueError("faults: each fault needs status, reply, drop_after or delay_ms")
        if f.get("body") is not None and not isinstance(f["body"], str):
            raise ValueError("faults: \"body\" is the raw reply text, a string")
        g = dict(f)
        if f.get("reply") is not None:
            if not isinstance(f["reply"], dict) or f.get("body") is not None:
                raise ValueError("faults: \"reply\" is a JSON object, instead of a \"body\"")
            g.update(status=f.get("status") or 200, body=json.dumps(f["reply"]))
        g["times"] = int(f.get("times", 1))
        out.append(g)
    return out


def storage_error(status, code, message):
    body = ("<?xml version='1.0' encoding='UTF-8'?><Error><Code>%s</Code><Message>%s</Message></Error>"
            % (code, message)).encode()
    return Reply(status, body, "application/xml; charset=UTF-8")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def write_port_file(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description="A fake Kaggle API server for autokaggle's tests.")
    ap.add_argument("--port-file", required=True, help="where to write the port once accepting connections")
    ap.add_argument("--data", help="one folder per competition slug holding its files")
    ap.add_argument("--state", help="where zips and built-in files go (default: a temporary folder)")
    ap.add_argument("--log", help="append each request as one JSON line to this file")
    ap.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ap.add_argument("--run-kernels", metavar="PYTHON",
                    help="really run pushed kernels with kernel_runner.py under this Python")
    ap.add_argument("--gpu-quota-exhausted", action="store_true",
                    help="refuse pushes with enableGpu: the weekly GPU quota is used up")
    args = ap.parse_args(argv)
    if args.data and not os.path.isdir(args.data):
        ap.error("--data %s: not a directory" % args.data)
    tmp_state = None
    if args.state:
        os.makedirs(args.state, exist_ok=True)
        state_dir = args.state
    else:
        tmp_state = tempfile.TemporaryDirectory(prefix="fake-kaggle.")
        state_dir = tmp_state.name
    fake = Fake(args.data, state_dir, args.run_kernels, args.gpu_quota_exhausted)
    fake.log_file = args.log
    server = Server((args.host, 0), Handler)
    server.fake = fake
    port = server.server_address[1]
    fake.base_url = "http://%s:%d" % (args.host if ":" not in args.host else "[%s]" % args.host, port)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    write_port_file(args.port_file, port)
    stop.wait()
    server.shutdown()
    server.server_close()
    fake.stop_kernels()
    if tmp_state is not None:
        tmp_state.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
