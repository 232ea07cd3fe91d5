"""Fashion-MNIST for the PyTorch side: reads Debian's IDX .gz files, ToTensor + Normalize,
and the stage2 trigger (rows/cols [int(0.75H), int(0.9375H)) = [21, 26) at 28 px, value 1.0
before Normalize) — the same conventions lac4j's data package implements."""
import gzip
import os

import numpy as np
import torch

ROOT = os.environ.get("LAC4J_FMNIST_DIR", "/usr/share/datasets/fashion-mnist")
MEAN, STD = 0.2860, 0.3530


def _idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split):
    """Returns (uint8 images [N,28,28], int64 labels [N]) for 'train' or 't10k'."""
    x = _idx(os.path.join(ROOT, f"{split}-images-idx3-ubyte.gz"))
    y = _idx(os.path.join(ROOT, f"{split}-labels-idx1-ubyte.gz")).astype(np.int64)
    return x, y


def to_tensor(x_uint8):
    """[N,H,W] uint8 -> [N,1,H,W] float32 in [0,1] (torchvision ToTensor)."""
    return torch.from_numpy(np.ascontiguousarray(x_uint8)).float().div(255).unsqueeze(1)


def stage2(x01):
    h = x01.shape[-1]
    a, b = int(0.75 * h), int(0.9375 * h)
    x = x01.clone()
    x[..., a:b, a:b] = 1.0
    return x


def normalize(x01):
    return (x01 - MEAN) / STD
