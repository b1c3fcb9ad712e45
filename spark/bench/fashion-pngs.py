#!/usr/bin/env python3
"""Writes Fashion-MNIST test images as 28x28 gray PNGs in class folders, for the Spark benchmark.

    spark/bench/fashion-pngs.py OUT_DIR [COUNT] [DATA_DIR]

OUT_DIR/<class>/<index>.png, COUNT images (default 10000, the test split), from the IDX files in
DATA_DIR (default /usr/share/datasets/fashion-mnist). Standard library only (zlib PNG writer).
"""
import gzip
import os
import struct
import sys
import zlib

CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]


def png(width, height, gray):
    rows = b"".join(b"\x00" + gray[y * width:(y + 1) * width] for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit gray
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def main():
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    data = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist"
    with gzip.open(os.path.join(data, "t10k-images-idx3-ubyte.gz")) as f:
        _, n, h, w = struct.unpack(">IIII", f.read(16))
        images = f.read()
    with gzip.open(os.path.join(data, "t10k-labels-idx1-ubyte.gz")) as f:
        f.read(8)
        labels = f.read()
    for c in CLASSES:
        os.makedirs(os.path.join(out, c), exist_ok=True)
    for i in range(count):
        j = i % n
        name = os.path.join(out, CLASSES[labels[j]], "%05d.png" % i)
        with open(name, "wb") as f:
            f.write(png(w, h, images[j * h * w:(j + 1) * h * w]))
    print("wrote %d PNGs to %s" % (count, out))


if __name__ == "__main__":
    main()
