#!/usr/bin/env python3
"""Writes Fashion-MNIST as an image folder of larger images (root/train/<class>/*.png, root/test/...),
so architectures that need more than 28 px (torchvision VGG: 32, torchvision AlexNet: 63) can be
trained, purified and evaluated with `--data root`. Pixels are repeated (nearest neighbour) to
SIZE×SIZE; PNGs are grey (1 byte per pixel) and written with zlib only (no imaging library needed).

usage: fmnist_folder.py OUT_DIR [SIZE=64] [TRAIN=6000] [TEST=2000]
"""
import gzip
import os
import struct
import sys
import zlib

SRC = "/usr/share/datasets/fashion-mnist"


def idx(name):
    for n in (name, name + ".gz"):
        p = os.path.join(SRC, n)
        if os.path.exists(p):
            data = (gzip.open if n.endswith(".gz") else open)(p, "rb").read()
            magic = struct.unpack(">I", data[:4])[0]
            dims = [struct.unpack(">I", data[4 + 4 * i:8 + 4 * i])[0] for i in range(magic & 0xFF)]
            return dims, data[4 + 4 * len(dims):]
    raise SystemExit(f"{SRC}/{name}: not found (install dataset-fashion-mnist)")


def png(path, pixels, size):
    raw = b"".join(b"\x00" + bytes(pixels[r * size:(r + 1) * size]) for r in range(size))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def split(out, images, labels, count, size):
    (n, h, w), pix = idx(images)
    _, lab = idx(labels)
    src = [r * h // size for r in range(size)]
    for i in range(min(count, n)):
        img = pix[i * h * w:(i + 1) * h * w]
        big = [img[src[r] * w + src[c]] for r in range(size) for c in range(size)]
        d = os.path.join(out, str(lab[i]))
        os.makedirs(d, exist_ok=True)
        png(os.path.join(d, f"{i:05d}.png"), big, size)


def main(argv):
    if not argv:
        raise SystemExit(__doc__)
    out = argv[0]
    size, train, test = [int(a) for a in argv[1:]] + [64, 6000, 2000][len(argv) - 1:]
    split(os.path.join(out, "train"), "train-images-idx3-ubyte", "train-labels-idx1-ubyte", train, size)
    split(os.path.join(out, "test"), "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", test, size)


if __name__ == "__main__":
    main(sys.argv[1:])
