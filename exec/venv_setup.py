#!/usr/bin/env python3
"""ENV stage of autokaggle: a virtual environment that sees the system's
packages, with only the missing requirements installed into it.

Usage: venv_setup.py --venv DIR --requirements FILE [--pip-retries N] [--pip-timeout S]

Prints one line per requirement ("ok numpy 1.24.2 (system)", "installing X",
"FAILED X: reason"). Exit status: 0 when every requirement is importable,
3 when some could not be installed (named on the last line), 4 when the
environment itself cannot be created, 2 on bad arguments.
"""

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import venv

# Distribution name (normalised) -> module to import.
IMPORT_NAMES = {
    "scikit-learn": "sklearn",
    "scikit-image": "skimage",
    "scikit-optimize": "skopt",
    "imbalanced-learn": "imblearn",
    "pyyaml": "yaml",
    "python-dateutil": "dateutil",
    "opencv-python": "cv2",
    "opencv-python-headless": "cv2",
    "opencv-contrib-python": "cv2",
    "opencv-contrib-python-headless": "cv2",
    "pillow": "PIL",
    "beautifulsoup4": "bs4",
    "protobuf": "google.protobuf",
    "attrs": "attr",
    "tensorflow-cpu": "tensorflow",
    "tensorflow-gpu": "tensorflow",
    "faiss-cpu": "faiss",
    "faiss-gpu": "faiss",
    "pymupdf": "fitz",
    "python-levenshtein": "Levenshtein",
    "pycryptodome": "Crypto",
    "msgpack-python": "msgpack",
    "iterative-stratification": "iterstrat",
    "category-encoders": "category_encoders",
    "sentence-transformers": "sentence_transformers",
    "typing-extensions": "typing_extensions",
    "importlib-metadata": "importlib_metadata",
    "pytorch-lightning": "pytorch_lightning",
    "lightning": "lightning",
}

# Import names written where a distribution name belongs.
INSTALL_NAMES = {
    "sklearn": "scikit-learn",
    "cv2": "opencv-python-headless",
    "pil": "pillow",
    "yaml": "pyyaml",
    "skimage": "scikit-image",
    "bs4": "beautifulsoup4",
}

NETWORK_HINTS = (
    "no matching distribution",
    "could not find a version",
    "connection",
    "name resolution",
    "network is unreachable",
    "timed out",
    "proxy",
)

# Runs inside the venv interpreter: imports each module and reports its
# version, where it lives, and whether it satisfies the requirement.
CHECKER = r"""
import importlib, importlib.metadata, json, os, sys
try:
    from packaging.requirements import Requirement
except Exception:
    try:
        from pip._vendor.packaging.requirements import Requirement
    except Exception:
        Requirement = None
items = json.loads(sys.argv[1])
prefix = os.path.realpath(sys.prefix)
real_stdout = sys.stdout
sys.stdout = sys.stderr
out = []
for line, dist, module in items:
    r = {"state": "ok", "version": "", "where": "system", "error": ""}
    req = None
    if Requirement is not None:
        try:
            req = Requirement(line)
        except Exception:
            req = None
    if req is not None and req.marker is not None and not req.marker.evaluate():
        r["state"] = "skip"
        out.append(r)
        continue
    try:
        m = importlib.import_module(module)
    except BaseException as e:
        r["state"] = "missing"
        r["error"] = (type(e).__name__ + ": " + str(e)).splitlines()[0] if str(e) else type(e).__name__
        out.append(r)
        continue
    try:
        r["version"] = importlib.metadata.version(dist)
    except Exception:
        r["version"] = str(getattr(m, "__version__", "") or "")
    f = getattr(m, "__file__", None) or ""
    if f and os.path.realpath(f).startswith(prefix + os.sep):
        r["where"] = "venv"
    if req is not None and req.specifier and r["version"]:
        try:
            if not req.specifier.contains(r["version"], prereleases=True):
                r["state"] = "version"
        except Exception:
            pass
    out.append(r)
sys.stdout = real_stdout
print("@@autokaggle@@" + json.dumps(out))
"""


def say(msg):
    print(msg, flush=True)


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirements(path):
    """Returns [(line, dist, module)] for each requirement of the file."""
    reqs = []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("-"):
                say("skipped option line: " + line)
                continue
            m = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
            if not m:
                say("skipped unreadable line: " + line)
                continue
            dist = m.group(0)
            key = normalise(dist)
            if key in INSTALL_NAMES:
                line = INSTALL_NAMES[key] + line[len(dist):]
                dist = INSTALL_NAMES[key]
                key = normalise(dist)
            module = IMPORT_NAMES.get(key, key.replace("-", "_"))
            reqs.append((line, dist, module))
    return reqs


def base_marker():
    return "%s\n%s\n" % (os.path.realpath(sys.executable), sys.version.split()[0])


def ensure_venv(venv_dir):
    """Creates the venv unless one made from this interpreter is there."""
    marker = os.path.join(venv_dir, "autokaggle-base.txt")
    py = os.path.join(venv_dir, "bin", "python")
    try:
        with open(marker, encoding="utf-8") as f:
            if f.read() == base_marker() and os.access(py, os.X_OK):
                say("venv %s already exists for %s" % (venv_dir, sys.executable))
                return
    except OSError:
        pass
    say("creating venv %s from %s (system site packages visible)" % (venv_dir, sys.executable))
    with_pip = importlib.util.find_spec("ensurepip") is not None
    try:
        venv.EnvBuilder(system_site_packages=True, with_pip=with_pip, symlinks=True, clear=True).create(venv_dir)
    except (subprocess.CalledProcessError, OSError) as e:
        if not with_pip:
            raise
        say("ensurepip failed (%s); using the base interpreter's pip if it has one" % e)
        venv.EnvBuilder(system_site_packages=True, with_pip=False, symlinks=True, clear=True).create(venv_dir)
    with open(marker, "w", encoding="utf-8") as f:
        f.write(base_marker())


def check(py, reqs):
    proc = subprocess.run([py, "-c", CHECKER, json.dumps(reqs)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("@@autokaggle@@"):
            return json.loads(line[len("@@autokaggle@@"):])
    err = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    raise RuntimeError("cannot run the venv interpreter %s: %s" % (py, err))


def has_pip(py):
    return subprocess.run([py, "-m", "pip", "--version"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def pip_install(py, line, args):
    """Installs one requirement, echoing pip's output; returns pip's last
    error line, or None on success."""
    cmd = [py, "-m", "pip", "install", "--disable-pip-version-check",
           "--retries", str(args.pip_retries), "--timeout", str(args.pip_timeout), line]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    last, last_error = "", ""
    for out in proc.stdout:
        out = out.rstrip()
        print("  | " + out, flush=True)
        if out.strip():
            last = out.strip()
        if out.startswith("ERROR:"):
            last_error = out[len("ERROR:"):].strip()
    if proc.wait() == 0:
        return None
    return last_error or last or "pip exited with status %d" % proc.returncode


def main():
    ap = argparse.ArgumentParser(description="Prepare the ENV stage's virtual environment.")
    ap.add_argument("--venv", required=True)
    ap.add_argument("--requirements", required=True)
    ap.add_argument("--pip-retries", type=int, default=1)
    ap.add_argument("--pip-timeout", type=int, default=15)
    args = ap.parse_args()

    try:
        reqs = parse_requirements(args.requirements)
    except OSError as e:
        say("ENV failed: cannot read %s: %s" % (args.requirements, e.strerror))
        return 4
    try:
        ensure_venv(args.venv)
    except Exception as e:
        say("ENV failed: cannot create the virtual environment %s: %s" % (args.venv, e))
        return 4
    py = os.path.join(args.venv, "bin", "python")
    if not reqs:
        say("no requirements listed in %s" % args.requirements)
        return 0

    try:
        results = check(py, reqs)
    except RuntimeError as e:
        say("ENV failed: %s" % e)
        return 4
    failed, network = [], False
    pip_ok = None
    for (line, dist, module), r in zip(reqs, results):
        if r["state"] == "skip":
            say("skip %s (not for this platform)" % line)
            continue
        if r["state"] == "ok":
            say("ok %s %s (%s)" % (dist, r["version"] or "?", r["where"]))
            continue
        if pip_ok is None:
            pip_ok = has_pip(py)
        if r["state"] == "version":
            say("installing %s (have %s)" % (line, r["version"]))
        else:
            say("installing %s (%s)" % (line, r["error"]))
        err = pip_install(py, line, args) if pip_ok else \
            "pip is not available for %s (install python3-pip or python3-venv)" % sys.executable
        if err is None:
            after = check(py, [(line, dist, module)])[0]
            if after["state"] in ("ok", "version"):
                say("ok %s %s (%s)" % (dist, after["version"] or "?", after["where"]))
                continue
            err = "installed but cannot be imported as %s: %s" % (module, after["error"])
        if r["state"] == "version":
            say("warning: could not install %s (%s); using the installed %s %s" % (line, err, dist, r["version"]))
            continue
        say("FAILED %s: %s" % (dist, err))
        failed.append(dist)
        network = network or any(h in err.lower() for h in NETWORK_HINTS)

    if failed:
        say("ENV failed: could not install %s%s; install %s into %s yourself or remove %s from env/requirements.txt"
            % (", ".join(failed), " (no network?)" if network else "",
               "it" if len(failed) == 1 else "them", sys.executable, "it" if len(failed) == 1 else "them"))
        return 3
    say("ENV ready: %d requirement%s importable with %s" % (len(reqs), "" if len(reqs) == 1 else "s", py))
    return 0


if __name__ == "__main__":
    sys.exit(main())
