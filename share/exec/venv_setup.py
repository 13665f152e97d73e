#!/usr/bin/env python3
"""ENV stage of autokaggle: a virtual environment that sees the system's
packages, with only the missing requirements installed into it, shared by
the runs of a workspace.

Usage: venv_setup.py --cache DIR --requirements FILE --venv LINK --record FILE
                     [--pip-retries N] [--pip-timeout S]

The venvs live in DIR (<workspace>/cache/venvs), one per interpreter (its
real path and version) and set of requirements: DIR/<key>/. One is built in
a temporary directory, without pip unless something has to be installed,
and renamed into place when complete; its autokaggle-venv.json says what it
is and keeps the last importability check, valid while no directory on the
venv's sys.path changes. Runs preparing the same key take turns (a lock
file per key), so the second one uses what the first made. LINK (the run's
env/venv) becomes a relative symlink to the venv and RECORD (env/venv.json)
describes it, so the run directory stays self-contained to inspect and the
workspace can move.

Prints one line per requirement ("ok numpy 1.24.2 (system)", "installing X",
"FAILED X: reason"). Exit status: 0 when every requirement is importable,
3 when some could not be installed (named on the last line), 4 when the
environment itself cannot be created, 2 on bad arguments.
"""

import argparse
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import venv

MANIFEST = "autokaggle-venv.json"

# A cache entry being built (.KEY.tmp-PID) or being replaced (.KEY.old-PID).
TEMPORARY = re.compile(r"^\.(?P<key>[^/]+)\.(?:tmp|old)-[0-9]+$")

# URL userinfo ("scheme://user:password@host"): a credential.
USERINFO = re.compile(r"://[^/?#@\s]*@")

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
# version, where it lives, and whether it satisfies the requirement. First
# it notes the modification times of the directories imports come from: a
# change to one makes the check stale.
CHECKER = r"""
import importlib, importlib.metadata, json, os, site, sys
def mtime(p):
    try:
        return os.stat(p).st_mtime_ns
    except OSError:
        return None
paths = [p for p in sys.path if p]
if site.getusersitepackages() not in paths:
    paths.append(site.getusersitepackages())
paths = [[p, mtime(p)] for p in paths]
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
print("@@autokaggle@@" + json.dumps({"results": out, "paths": paths}))
"""


def say(msg):
    print(msg, flush=True)


def now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


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


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def write_json(path, obj):
    """Replaces path at once: a reader sees the old file or the new one."""
    tmp = "%s.tmp-%d" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def interpreter():
    """The base interpreter's real path and version: what a venv is made of."""
    return os.path.realpath(sys.executable), sys.version.split()[0]


def venv_key(interp, version, reqs):
    """Readable and exact: the version, then a hash of the interpreter and of
    the requirements as parsed (comments, blank lines and order aside)."""
    h = hashlib.sha256()
    h.update(("%s\0%s\0%s\0" % (sys.implementation.name, interp, version)).encode())
    for line in sorted(r[0] for r in reqs):
        h.update(line.encode() + b"\0")
    return "py%s-%s" % (version, h.hexdigest()[:16])


def lock_key(cache, key, wait):
    """Holds the key's lock file (released when the returned file closes);
    None when wait is false and another process holds it."""
    f = open(os.path.join(cache, ".%s.lock" % key), "a")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return f
    except BlockingIOError:
        if not wait:
            f.close()
            return None
    say("waiting for another run preparing venv %s" % key)
    fcntl.flock(f, fcntl.LOCK_EX)
    return f


def clean_temporaries(cache, key):
    """Removes what an ENV killed while building or replacing a venv left.
    A temporary is stale when nobody holds its key's lock: we hold ours."""
    for name in sorted(os.listdir(cache)):
        m = TEMPORARY.match(name)
        if not m:
            continue
        held = None
        if m.group("key") != key:
            held = lock_key(cache, m.group("key"), wait=False)
            if held is None:
                continue
        say("removing %s, left by an interrupted ENV" % name)
        remove(os.path.join(cache, name))
        if held:
            held.close()


def unusable(vdir, interp, version):
    """None when vdir is a complete venv of this interpreter, else why not."""
    m = read_json(os.path.join(vdir, MANIFEST))
    if not isinstance(m, dict) or not m.get("complete"):
        return "it is incomplete (its creation was interrupted)"
    if m.get("interpreter") != interp or m.get("python_version") != version:
        return "it was made for %s (Python %s)" % (m.get("interpreter"), m.get("python_version"))
    py = os.path.join(vdir, "bin", "python")
    real = os.path.realpath(py)
    if not os.path.isfile(real) or not os.access(real, os.X_OK):
        return "its interpreter %s is gone" % real
    if real != interp:
        return "its interpreter is now %s" % real
    if not os.path.isfile(os.path.join(vdir, "pyvenv.cfg")):
        return "its pyvenv.cfg is missing"
    return None


class Builder(venv.EnvBuilder):
    """No activation scripts: they would hold the temporary directory's
    absolute path; the stages run env/venv/bin/python directly."""

    def setup_scripts(self, context):
        pass


def create(cache, key, interp, version, reqs):
    """Builds the venv beside its place and renames it in when complete, so
    a kill leaves a temporary (cleaned later), never a half venv."""
    final = os.path.join(cache, key)
    tmp = os.path.join(cache, ".%s.tmp-%d" % (key, os.getpid()))
    Builder(system_site_packages=True, symlinks=True, with_pip=False).create(tmp)
    manifest = {
        "complete": True,
        "key": key,
        "interpreter": interp,
        "python_version": version,
        "requirements": [r[0] for r in reqs],
        "created": now(),
        "installed": [],
    }
    write_json(os.path.join(tmp, MANIFEST), manifest)
    if os.path.lexists(final):
        old = os.path.join(cache, ".%s.old-%d" % (key, os.getpid()))
        os.rename(final, old)
        os.rename(tmp, final)
        remove(old)
    else:
        os.rename(tmp, final)
    return manifest


def prepare(cache, key, interp, version, reqs):
    """The cached venv of key, made or remade when needed; with the lock held.
    Returns (its directory, its manifest, whether it was reused)."""
    vdir = os.path.join(cache, key)
    if os.path.lexists(vdir):
        why = unusable(vdir, interp, version)
        if why is None:
            manifest = read_json(os.path.join(vdir, MANIFEST))
            say("venv %s reused (created %s)" % (key, manifest.get("created", "?")))
            return vdir, manifest, True
        say("rebuilding venv %s: %s" % (key, why))
    else:
        say("creating venv %s (system site packages visible, no pip)" % key)
    return vdir, create(cache, key, interp, version, reqs), False


def without_credentials(environ):
    """The environment minus pip's settings and any value with a URL
    credential: the checker imports third-party code, which needs neither."""
    return {k: v for k, v in environ.items() if not k.startswith("PIP_") and not USERINFO.search(v)}


def check(py, reqs):
    """Imports the requirements in the venv: (results, [[import path, its
    modification time before the imports]])."""
    proc = subprocess.run([py, "-c", CHECKER, json.dumps(reqs)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True,
                          env=without_credentials(os.environ))
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("@@autokaggle@@"):
            out = json.loads(line[len("@@autokaggle@@"):])
            return out["results"], out["paths"]
    err = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    raise RuntimeError("cannot run the venv interpreter %s: %s" % (py, err))


def relative_to(vdir, path):
    """Paths inside the venv are kept relative to it, so that a moved
    workspace keeps its cached checks."""
    return os.path.relpath(path, vdir) if path.startswith(vdir + os.sep) else path


def stamp(vdir, paths):
    """The modification times of the import paths now: adding, removing or
    upgrading a package changes its directory's."""
    out = []
    for p in paths:
        try:
            out.append([p, os.stat(os.path.join(vdir, p)).st_mtime_ns])
        except OSError:
            out.append([p, None])
    return out


def cached_check(vdir, manifest, reqs):
    """The last check's results (in the order of reqs, which the key does
    not fix) when every requirement was importable and nothing on the
    import paths changed since; else None."""
    c = manifest.get("check")
    if not isinstance(c, dict):
        return None
    lines, results, recorded = c.get("requirements"), c.get("results"), c.get("stamp")
    if not isinstance(lines, list) or not isinstance(results, list) or not isinstance(recorded, list):
        return None
    by_line = dict(zip(lines, results))
    if len(results) != len(lines) or sorted(by_line) != sorted(r[0] for r in reqs):
        return None
    if any(not isinstance(r, dict) or r.get("state") not in ("ok", "skip") for r in results):
        return None
    if stamp(vdir, [p for p, _ in recorded]) != recorded:
        return None
    say("importability check of %s reused: nothing on the import paths changed since" % c.get("at", "?"))
    return [by_line[r[0]] for r in reqs]


def fresh_check(vdir, manifest, py, reqs):
    """Runs the checker and keeps its results in the manifest, stamped with
    the times taken before the imports: a change during the check makes the
    next run check again."""
    results, paths = check(py, reqs)
    manifest["check"] = {
        "requirements": [r[0] for r in reqs],
        "results": results,
        "stamp": [[relative_to(vdir, p), t] for p, t in paths],
        "at": now(),
    }
    write_json(os.path.join(vdir, MANIFEST), manifest)
    return results


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


def ensure_pip(py):
    """pip for the venv, sought only once something must be installed: the
    system's, seen through the system site packages, else ensurepip's."""
    if has_pip(py):
        return True
    say("installing pip into the venv (ensurepip)")
    proc = subprocess.run([py, "-m", "ensurepip", "--default-pip"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True)
    if proc.returncode != 0:
        for out in proc.stdout.strip().splitlines()[-3:]:
            say("  | " + out)
        return False
    return has_pip(py)


def install(vdir, manifest, req, r, args, pip_ok):
    """Installs one requirement that is missing or has the wrong version.
    Returns (its state afterwards or None, pip's error or None)."""
    line, dist, module = req
    py = os.path.join(vdir, "bin", "python")
    if r["state"] == "version":
        say("installing %s (have %s)" % (line, r["version"]))
    else:
        say("installing %s (%s)" % (line, r["error"]))
    if not pip_ok:
        return None, "pip is not available for %s (install python3-pip or python3-venv)" % sys.executable
    err = pip_install(py, line, args)
    if err is not None:
        return None, err
    after = check(py, [req])[0][0]
    if after["state"] not in ("ok", "version"):
        return None, "installed but cannot be imported as %s: %s" % (module, after["error"])
    manifest.setdefault("installed", []).append({"requirement": line, "version": after["version"], "at": now()})
    write_json(os.path.join(vdir, MANIFEST), manifest)
    return after, None


def satisfy(vdir, manifest, reqs, args):
    """Checks the requirements (reusing the last check when it still holds)
    and installs what is missing into the venv. Returns (the state of each
    requirement, the ones that failed, whether the network looks at fault)."""
    results = cached_check(vdir, manifest, reqs)
    if results is None:
        results = fresh_check(vdir, manifest, os.path.join(vdir, "bin", "python"), reqs)
    failed, network, pip_ok = [], False, None
    for i, (req, r) in enumerate(zip(reqs, results)):
        line, dist = req[0], req[1]
        if r["state"] == "skip":
            say("skip %s (not for this platform)" % line)
            continue
        if r["state"] == "ok":
            say("ok %s %s (%s)" % (dist, r["version"] or "?", r["where"]))
            continue
        if pip_ok is None:
            pip_ok = ensure_pip(os.path.join(vdir, "bin", "python"))
        after, err = install(vdir, manifest, req, r, args, pip_ok)
        if after is not None:
            results[i] = after
            say("ok %s %s (%s)" % (dist, after["version"] or "?", after["where"]))
        elif r["state"] == "version":
            say("warning: could not install %s (%s); using the installed %s %s" % (line, err, dist, r["version"]))
        else:
            say("FAILED %s: %s" % (dist, err))
            failed.append(dist)
            network = network or any(h in err.lower() for h in NETWORK_HINTS)
    return results, failed, network


def link_run(link, vdir):
    """Points the run's env/venv at the cached venv by a relative symlink,
    replaced at once; a venv of the run's own, left by an older ENV, goes."""
    parent, base = os.path.split(link)
    for name in os.listdir(parent):
        if name.startswith(base + ".tmp-"):
            remove(os.path.join(parent, name))
    if os.path.isdir(link) and not os.path.islink(link):
        say("replacing the run's own venv %s with the shared one" % link)
        shutil.rmtree(link)
    tmp = "%s.tmp-%d" % (link, os.getpid())
    os.symlink(os.path.relpath(vdir, parent), tmp)
    os.replace(tmp, link)


def write_record(path, link, key, manifest, reused, reqs, results):
    """env/venv.json: which venv the run used and what it holds."""
    write_json(path, {
        "key": key,
        "venv": os.readlink(link),
        "interpreter": manifest.get("interpreter"),
        "python_version": manifest.get("python_version"),
        "requirements": [r[0] for r in reqs],
        "installed": manifest.get("installed", []),
        "created": manifest.get("created"),
        "reused": reused,
        "prepared": now(),
        "packages": [{"requirement": req[0], "state": r["state"], "version": r["version"], "where": r["where"]}
                     for req, r in zip(reqs, results)],
    })


def prepare_and_link(args, cache, key, interp, version, reqs):
    """The ENV stage once the key's lock is held; returns the exit status."""
    link, record = os.path.abspath(args.venv), os.path.abspath(args.record)
    try:
        clean_temporaries(cache, key)
        vdir, manifest, reused = prepare(cache, key, interp, version, reqs)
    except Exception as e:
        say("ENV failed: cannot create the virtual environment %s: %s" % (os.path.join(cache, key), e))
        return 4
    results, failed, network = [], [], False
    try:
        if reqs:
            results, failed, network = satisfy(vdir, manifest, reqs, args)
        else:
            say("no requirements listed in %s" % args.requirements)
    except RuntimeError as e:
        say("ENV failed: %s" % e)
        return 4
    try:
        link_run(link, vdir)
        write_record(record, link, key, manifest, reused, reqs, results)
    except OSError as e:
        say("ENV failed: cannot point %s at %s: %s" % (link, vdir, e))
        return 4
    if failed:
        say("ENV failed: could not install %s%s; install %s into %s yourself or remove %s from env/requirements.txt"
            % (", ".join(failed), " (no network?)" if network else "",
               "it" if len(failed) == 1 else "them", sys.executable, "it" if len(failed) == 1 else "them"))
        return 3
    say("ENV ready: %d requirement%s importable with %s" % (len(reqs), "" if len(reqs) == 1 else "s",
                                                          os.path.join(link, "bin", "python")))
    return 0


def main():
    ap = argparse.ArgumentParser(description="Prepare the ENV stage's virtual environment.")
    ap.add_argument("--cache", required=True, help="the workspace's venv cache, <workspace>/cache/venvs")
    ap.add_argument("--requirements", required=True)
    ap.add_argument("--venv", required=True, help="the run's env/venv, made a symlink into the cache")
    ap.add_argument("--record", required=True, help="the run's env/venv.json")
    ap.add_argument("--pip-retries", type=int, default=1)
    ap.add_argument("--pip-timeout", type=int, default=15)
    args = ap.parse_args()

    try:
        reqs = parse_requirements(args.requirements)
    except OSError as e:
        say("ENV failed: cannot read %s: %s" % (args.requirements, e.strerror))
        return 4
    interp, version = interpreter()
    key = venv_key(interp, version, reqs)
    cache = os.path.abspath(args.cache)
    say("interpreter %s (Python %s)" % (interp, version))
    try:
        os.makedirs(cache, mode=0o700, exist_ok=True)
        held = lock_key(cache, key, wait=True)
    except OSError as e:
        say("ENV failed: cannot use the venv cache %s: %s" % (cache, e))
        return 4
    with held:
        return prepare_and_link(args, cache, key, interp, version, reqs)


if __name__ == "__main__":
    sys.exit(main())
