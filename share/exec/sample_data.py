#!/usr/bin/env python3
"""The data and code of a sample run (autokaggle --sample N).

    sample_data.py RUN_DIR ROWS SEED

Writes RUN_DIR/sample/: data/test.csv (the first ROWS rows of test),
data/sample_submission.csv (the sample submission's rows of those ids),
data/train.csv (a sample of train, stratified by the target for a
classification task, in the file's order) and code/ (a copy of the run's
code/ whose config.yaml reads that data with two folds and no budget).
Standard library only: it runs before anything is known about the venv,
and on files of any size (one pass over train, reservoirs in memory).
"""

import csv
import json
import os
import random
import shutil
import sys

# Rows of train per row of test, and the least a two-fold CV can use.
TRAIN_PER_TEST_ROW = 4
TRAIN_MIN_ROWS = 200
# A target with more distinct values than this is not stratified on.
MAX_STRATA = 1000

csv.field_size_limit(1 << 30)


def fail(msg):
    sys.stderr.write("sample: %s\n" % msg)
    sys.exit(1)


def read_config(path):
    """config.yaml's flat "key: value" lines, values as JSON where they
    parse (quoted strings, numbers, null), else as written."""
    cfg = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or ":" not in line:
                continue
            key, _, value = line.partition(":")
            value = value.strip()
            try:
                cfg[key.strip()] = json.loads(value)
            except ValueError:
                cfg[key.strip()] = value
    return cfg


def data_path(run_dir, value, key):
    if not isinstance(value, str) or not value:
        fail("code/config.yaml names no %s file" % key)
    return value if os.path.isabs(value) else os.path.join(run_dir, value)


def open_csv(path):
    return open(path, newline="", encoding="utf-8-sig")


def head(src, dst, rows, id_col):
    """The header and the first rows of src into dst; the ids written."""
    ids = []
    with open_csv(src) as f, open(dst, "w", newline="", encoding="utf-8") as out:
        r, w = csv.reader(f), csv.writer(out, lineterminator="\n")
        header = next(r, None)
        if header is None:
            fail("%s is empty" % src)
        w.writerow(header)
        k = header.index(id_col) if id_col in header else None
        for i, row in enumerate(r):
            if i >= rows:
                break
            w.writerow(row)
            ids.append(row[k] if k is not None and k < len(row) else None)
    return ids


def sample_rows(src, dst, ids, rows, id_col):
    """The sample submission's rows for ids (all known): in its own order;
    without an id column, its first rows."""
    wanted = set(i for i in ids if i is not None)
    with open_csv(src) as f, open(dst, "w", newline="", encoding="utf-8") as out:
        r, w = csv.reader(f), csv.writer(out, lineterminator="\n")
        header = next(r, None)
        if header is None:
            fail("%s is empty" % src)
        w.writerow(header)
        k = header.index(id_col) if id_col in header and wanted else None
        n = 0
        for row in r:
            if (k is None and n < rows) or (k is not None and k < len(row) and row[k] in wanted):
                w.writerow(row)
                n += 1
    return n


def stratified(src, dst, want, target, stratify, seed):
    """want rows of src, each stratum (target value) keeping its share and
    at least two rows where it has them, in the file's order."""
    rnd = random.Random(seed)
    with open_csv(src) as f:
        r = csv.reader(f)
        header = next(r, None)
        if header is None:
            fail("%s is empty" % src)
        k = header.index(target) if stratify and target in header else None
        pools, counts, total = {}, {}, 0
        for i, row in enumerate(r):
            key = row[k] if k is not None and k < len(row) else ""
            if k is not None and key not in pools and len(pools) >= MAX_STRATA:
                # Too many strata: start over as one.
                merged = [x for p in pools.values() for x in p]
                pools, counts, k = {"": merged}, {"": sum(counts.values())}, None
                key = ""
            pool = pools.setdefault(key, [])
            counts[key] = counts.get(key, 0) + 1
            total += 1
            if len(pool) < want:
                pool.append((i, row))
            else:
                j = rnd.randrange(counts[key])
                if j < want:
                    pool[j] = (i, row)
    chosen = []
    for key, pool in pools.items():
        share = max(min(2, counts[key]), round(want * counts[key] / max(total, 1)))
        rnd.shuffle(pool)
        chosen.extend(pool[:share])
    chosen.sort(key=lambda x: x[0])
    with open(dst, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        for _, row in chosen:
            w.writerow(row)
    return len(chosen), total, k is not None


def write_code(run_dir, out_dir, paths):
    """run_dir/code copied to out_dir/code, config.yaml pointed at the
    sample's data, two folds, no budget of its own."""
    src, dst = os.path.join(run_dir, "code"), os.path.join(out_dir, "code")
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    cfg = os.path.join(dst, "config.yaml")
    with open(cfg, encoding="utf-8") as f:
        lines = f.readlines()
    changed = dict(paths, folds=2, budget_seconds=0)
    with open(cfg, "w", encoding="utf-8") as f:
        for line in lines:
            key = line.partition(":")[0].strip()
            if not line.startswith("#") and key in changed:
                line = "%s: %s\n" % (key, json.dumps(changed[key]))
            f.write(line)


def main():
    if len(sys.argv) != 4:
        fail("usage: sample_data.py RUN_DIR ROWS SEED")
    run_dir, rows, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    cfg = read_config(os.path.join(run_dir, "code", "config.yaml"))
    train = data_path(run_dir, cfg.get("train"), "train")
    test = data_path(run_dir, cfg.get("test"), "test")
    sample = data_path(run_dir, cfg.get("sample_submission"), "sample_submission")
    id_col, target = str(cfg.get("id") or ""), str(cfg.get("target") or "")
    out = os.path.join(run_dir, "sample")
    shutil.rmtree(out, ignore_errors=True)
    data = os.path.join(out, "data")
    os.makedirs(data)
    paths = {k: os.path.join(data, k + ".csv") for k in ("train", "test", "sample_submission")}
    ids = head(test, paths["test"], rows, id_col)
    n_sample = sample_rows(sample, paths["sample_submission"], ids, rows, id_col)
    want = max(TRAIN_PER_TEST_ROW * rows, TRAIN_MIN_ROWS)
    classify = cfg.get("task") in ("binary", "multiclass")
    n_train, total, strat = stratified(train, paths["train"], want, target, classify, seed)
    write_code(run_dir, out, paths)
    print("sample: %d test rows, %d submission rows, %d of %d train rows%s, 2 folds"
          % (len(ids), n_sample, n_train, total, " stratified by " + target if strat else ""))


if __name__ == "__main__":
    main()
