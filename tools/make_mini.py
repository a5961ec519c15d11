#!/usr/bin/env python3
"""Builds the embedded `fashion-mnist-mini` subset from Debian's dataset-fashion-mnist package.

Stratified and seeded: a fixed number of samples per class from each split, chosen with
random.Random(seed).sample over that class's indices, then kept in the original file order so
classes stay interleaved as in the full set. Output is gzipped IDX (the same format as the source)
with mtime 0 so reruns are byte-identical.

Usage: python3 tools/make_mini.py [--src DIR] [--out DIR] [--seed N] [--train-per-class N] [--test-per-class N]
Only the Python standard library is needed.
"""
import argparse
import gzip
import os
import random
import struct
import sys

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801


def read_idx(path, expected_magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    if magic != expected_magic:
        sys.exit(f"{path}: magic 0x{magic:08x}, expected 0x{expected_magic:08x}")
    if magic == IMAGES_MAGIC:
        rows, cols = struct.unpack(">II", data[8:16])
        size = rows * cols
        body = data[16:]
        if len(body) != count * size:
            sys.exit(f"{path}: {len(body)} pixel bytes, expected {count * size}")
        return (rows, cols), [body[i * size:(i + 1) * size] for i in range(count)]
    body = data[8:]
    if len(body) != count:
        sys.exit(f"{path}: {len(body)} labels, expected {count}")
    return None, list(body)


def write_gz(path, payload):
    # mtime=0 and no file name in the header: the output depends only on the data.
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as f:
            f.write(payload)


def subset(src, out, prefix, per_class, rng):
    dims, images = read_idx(os.path.join(src, f"{prefix}-images-idx3-ubyte.gz"), IMAGES_MAGIC)
    _, labels = read_idx(os.path.join(src, f"{prefix}-labels-idx1-ubyte.gz"), LABELS_MAGIC)
    if len(images) != len(labels):
        sys.exit(f"{prefix}: {len(images)} images but {len(labels)} labels")
    chosen = []
    for c in range(10):
        members = [i for i, y in enumerate(labels) if y == c]
        if len(members) < per_class:
            sys.exit(f"{prefix}: class {c} has {len(members)} samples, need {per_class}")
        chosen.extend(rng.sample(members, per_class))
    chosen.sort()
    rows, cols = dims
    img = struct.pack(">IIII", IMAGES_MAGIC, len(chosen), rows, cols) + b"".join(images[i] for i in chosen)
    lab = struct.pack(">II", LABELS_MAGIC, len(chosen)) + bytes(labels[i] for i in chosen)
    write_gz(os.path.join(out, f"{prefix}-images-idx3-ubyte.gz"), img)
    write_gz(os.path.join(out, f"{prefix}-labels-idx1-ubyte.gz"), lab)
    print(f"{prefix}: {len(chosen)} samples ({per_class} per class) of {len(labels)}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser()
    p.add_argument("--src", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--out", default=os.path.join(here, "..", "resources", "fashion-mnist-mini"))
    p.add_argument("--seed", type=int, default=20240601)
    p.add_argument("--train-per-class", type=int, default=1000)
    p.add_argument("--test-per-class", type=int, default=200)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    # One RNG for both splits, train first: the order of calls is part of the recipe.
    rng = random.Random(a.seed)
    subset(a.src, a.out, "train", a.train_per_class, rng)
    subset(a.src, a.out, "t10k", a.test_per_class, rng)


if __name__ == "__main__":
    main()
