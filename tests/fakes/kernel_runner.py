#!/usr/bin/env python3
"""Runs a Kaggle kernel's code here, as Kaggle would run it there.

    kernel_runner.py --working DIR [--input SLUG=DATADIR]... [--log LOG.json] FILE

FILE is a notebook (.ipynb, nbformat 4) or a Python script. It runs with
DIR as its working directory, its text's /kaggle/input/SLUG pointing at
DATADIR and /kaggle/working at DIR. A notebook runs cell by cell in one
namespace and stops at the first failing cell. With --log, the output
also goes to LOG.json in the shape of a Kaggle kernel log.
Exit status: the kernel's (0 when it ran to the end, 1 when a cell or the
script failed), 2 when FILE is malformed or uses what this runner cannot
run. Standard library only (nbformat validates too when it imports).
The fake Kaggle server runs pushed kernels with it (tests/fakes/README).
"""

import argparse
import builtins
import codecs
import json
import linecache
import os
import re
import selectors
import signal
import subprocess
import sys
import time
import traceback

CELL_TYPES = ("code", "markdown", "raw")


class Malformed(Exception):
    """FILE cannot be run: a broken notebook, or a magic this runner lacks."""


def parse_inputs(values):
    """{SLUG: absolute DATADIR} of the --input SLUG=DATADIR options."""
    out = {}
    for v in values:
        slug, sep, path = v.partition("=")
        if not sep or not slug or not path:
            raise Malformed("--input %s: want SLUG=DATADIR" % v)
        out[slug] = os.path.abspath(path)
    return out


def rewriter(inputs, working):
    """A function rewriting Kaggle's absolute paths in code to local ones.
    A slug ends at a character that cannot be part of it, so /kaggle/input/a
    does not touch /kaggle/input/ab."""
    roots = {"/kaggle/input/" + slug: path for slug, path in inputs.items()}
    roots["/kaggle/working"] = os.path.abspath(working)
    pattern = re.compile("(%s)(?![A-Za-z0-9_.-])" % "|".join(
        re.escape(r) for r in sorted(roots, key=len, reverse=True)))
    return lambda text: pattern.sub(lambda m: roots[m.group(1)], text)


def load_notebook(text):
    """The cells of an nbformat 4 notebook as (cell_type, source) pairs,
    after checking the structure Kaggle relies on."""
    try:
        nb = json.loads(text)
    except ValueError as e:
        raise Malformed("not a notebook: the JSON does not parse (%s)" % e)
    if not isinstance(nb, dict) or nb.get("nbformat") != 4:
        raise Malformed("not an nbformat 4 notebook (\"nbformat\": 4 is missing)")
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise Malformed("the notebook has no \"cells\" list")
    out = []
    for i, c in enumerate(cells, 1):
        if not isinstance(c, dict) or c.get("cell_type") not in CELL_TYPES:
            raise Malformed("cell %d: want an object with cell_type code, markdown or raw" % i)
        src = c.get("source")
        if isinstance(src, list) and all(isinstance(s, str) for s in src):
            src = "".join(src)
        if not isinstance(src, str):
            raise Malformed("cell %d: the source must be a string or a list of strings" % i)
        out.append((c["cell_type"], src))
    validate_nbformat(nb)
    return out


def validate_nbformat(nb):
    """The full nbformat schema check, where the module is installed."""
    try:
        import nbformat
    except ImportError:
        return
    try:
        nbformat.validate(nbformat.from_dict(nb))
    except nbformat.ValidationError as e:
        raise Malformed("the notebook fails nbformat validation: %s" % str(e).split("\n", 1)[0])


WRITEFILE = re.compile(r"%%writefile(\s+-a|\s+--append)?\s+(\S.*?)\s*$")
SHELL_LINE = re.compile(r"^(\s*)!(.*)$")
MAGIC_LINE = re.compile(r"^\s*(%{1,2}[A-Za-z_]\w*)")


def plan_cell(n, src):
    """What cell n does: ("write", path, append, body) for %%writefile, else
    ("code", python). In a cell that is not Python as it stands, '!' lines
    become shell calls and other magics, which need IPython, are refused
    before anything runs."""
    first, _, body = src.partition("\n")
    if first.startswith("%%writefile"):
        m = WRITEFILE.fullmatch(first)
        if m is None:
            raise Malformed("cell %d: want %%%%writefile [-a] PATH" % n)
        return ("write", m.group(2).strip("\"'"), bool(m.group(1)), body)
    try:
        compile(src, "<cell %d>" % n, "exec")
        return ("code", src)
    except (SyntaxError, ValueError):
        pass
    lines = []
    for i, line in enumerate(src.split("\n"), 1):
        m = MAGIC_LINE.match(line)
        if m:
            raise Malformed("cell %d line %d: the IPython magic %s is not supported here (only %%%%writefile "
                            "cells and ! shell lines are)" % (n, i, m.group(1)))
        s = SHELL_LINE.match(line)
        lines.append("%s__kernel_shell__(%r)" % (s.group(1), s.group(2)) if s else line)
    return ("code", "\n".join(lines))


def shell(command):
    """A '!' line: the command under the shell, output straight through;
    like IPython, a failing command does not stop the cell."""
    sys.stdout.flush()
    sys.stderr.flush()
    subprocess.run(command, shell=True)


def run_code(name, code, namespace):
    """Runs code as file name; 0, or 1 after its traceback on stderr (the
    runner's own frame left out). The source goes to linecache so the
    traceback can quote the failing lines."""
    linecache.cache[name] = (len(code), None, code.splitlines(True), name)
    try:
        exec(compile(code, name, "exec"), namespace)
    except SystemExit as e:
        if e.code in (None, 0):
            return 0
        if not isinstance(e.code, int):
            sys.stderr.write("%s\n" % e.code)
        return e.code if isinstance(e.code, int) else 1
    except BaseException as e:
        # The header first: the last line of stderr stays the exception,
        # which is what a failureMessage shows.
        sys.stdout.flush()
        sys.stderr.write("kernel_runner: %s failed:\n" % name)
        traceback.print_exception(type(e), e, e.__traceback__.tb_next)
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return 0


def write_cell(path, append, body):
    """A %%writefile cell: the body to path, and IPython's one-line note."""
    try:
        with open(path, "a" if append else "w", encoding="utf-8") as f:
            f.write(body)
    except OSError as e:
        sys.stderr.write("%s\n" % e)
        return 1
    print("Appending to %s" % path if append else "Writing %s" % path, flush=True)
    return 0


def run_notebook(cells):
    """Runs the planned cells in order in one namespace; stops at the
    first failure and says which cell it was."""
    namespace = {"__name__": "__main__", "__builtins__": builtins, "__kernel_shell__": shell}
    for n, step in cells:
        if step[0] == "write":
            rc = write_cell(*step[1:])
        else:
            rc = run_code("<cell %d>" % n, step[1], namespace)
        if rc != 0:
            return rc
    return 0


def run_here(args):
    """The kernel itself, in this process: read, rewrite, check, run."""
    inputs = parse_inputs(args.input)
    rewrite = rewriter(inputs, args.working)
    with open(args.file, encoding="utf-8") as f:
        text = f.read()
    if args.file.endswith(".ipynb"):
        cells = [(n, plan_cell(n, rewrite(src)))
                 for n, (kind, src) in enumerate(load_notebook(text), 1) if kind == "code"]
    else:
        script = rewrite(text)
    # Line by line even into a pipe, so that output passes through live.
    sys.stdout.reconfigure(line_buffering=True)
    sys.stderr.reconfigure(line_buffering=True)
    os.makedirs(args.working, exist_ok=True)
    os.chdir(args.working)
    sys.path.insert(0, "")
    sys.argv = [os.path.basename(args.file)]
    if args.file.endswith(".ipynb"):
        return run_notebook(cells)
    ns = {"__name__": "__main__", "__file__": os.path.basename(args.file), "__builtins__": builtins}
    return run_code(os.path.basename(args.file), script, ns)


class LogWriter:
    """Kaggle's log: [{"stream_name", "time", "data"}...], one entry per
    line of output, in the order the lines completed."""

    def __init__(self):
        self.start = time.monotonic()
        self.entries = []
        self.partial = {}
        self.decoders = {}

    def add(self, stream, data):
        dec = self.decoders.setdefault(stream, codecs.getincrementaldecoder("utf-8")("replace"))
        text = self.partial.get(stream, "") + dec.decode(data, final=not data)
        lines = text.split("\n")
        self.partial[stream] = lines.pop()
        for line in lines:
            self.entry(stream, line + "\n")
        if not data and self.partial[stream]:
            self.entry(stream, self.partial.pop(stream))

    def entry(self, stream, data):
        self.entries.append({"stream_name": stream, "time": round(time.monotonic() - self.start, 3),
                             "data": data})

    def save(self, path):
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.entries, f)
        os.replace(tmp, path)


def run_logged(argv, log_path):
    """Runs this runner again without --log as a child whose stdout and
    stderr (its subprocesses' too) come through pipes: copied through live
    and into the log. A SIGTERM here ends the child too."""
    log = LogWriter()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    child = subprocess.Popen([sys.executable, "-u", os.path.abspath(__file__)] + argv,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)

    def stop(signum, _frame):
        child.kill()
        log.entry("stderr", "kernel_runner: stopped by signal %d\n" % signum)
        log.save(log_path)
        os._exit(128 + signum)
    signal.signal(signal.SIGTERM, stop)
    sel = selectors.DefaultSelector()
    outs = {child.stdout: ("stdout", sys.stdout.buffer), child.stderr: ("stderr", sys.stderr.buffer)}
    for pipe in outs:
        sel.register(pipe, selectors.EVENT_READ)
    while sel.get_map():
        for key, _ in sel.select():
            data = os.read(key.fileobj.fileno(), 65536)
            name, out = outs[key.fileobj]
            log.add(name, data)
            if data:
                out.write(data)
                out.flush()
            else:
                sel.unregister(key.fileobj)
    rc = child.wait()
    log.save(log_path)
    return rc


def strip_log(argv):
    """argv without its --log option."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--log":
            skip = True
        elif not a.startswith("--log="):
            out.append(a)
    return out


def main(argv):
    ap = argparse.ArgumentParser(description="Run a Kaggle kernel's code locally, as Kaggle would.")
    ap.add_argument("--working", required=True, help="the working directory (/kaggle/working)")
    ap.add_argument("--input", action="append", default=[], metavar="SLUG=DATADIR",
                    help="where /kaggle/input/SLUG is here (repeatable)")
    ap.add_argument("--log", help="also write the output as a Kaggle kernel log (JSON) to this file")
    ap.add_argument("file", metavar="FILE", help="the kernel's code: a .ipynb notebook or a Python script")
    args = ap.parse_args(argv)
    if args.log:
        return run_logged(strip_log(argv), os.path.abspath(args.log))
    try:
        return run_here(args)
    except Malformed as e:
        sys.stderr.write("kernel_runner: %s: %s\n" % (args.file, e))
        return 2
    except OSError as e:
        sys.stderr.write("kernel_runner: %s\n" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
