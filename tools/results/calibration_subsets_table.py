#!/usr/bin/env python3
"""Renders tools/results/calibration_subsets.sh DIR: per calibration seed, CDA and ASR-no-target of the naive
quantized model; per activation quantizer, its scale under every seed over the first seed's, and the spread
(largest over smallest scale), from the s<seed>.scales.json files.
usage: tools/results/calibration_subsets_table.py DIR
       tools/results/calibration_subsets_table.py --extract FILE.int.safetensors   (prints its activation scales as JSON)
"""
import glob
import json
import os
import struct
import sys

SUFFIX = "_post_act_fake_quantizer_scale"


def scales(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        out = {}
        for k, v in header.items():
            if k == "__metadata__" or not k.endswith(SUFFIX):
                continue
            if v["dtype"] != "F32" or v["shape"] not in ([1], []):
                sys.exit(f"{path}: {k}: expected one float32 scale, got {v['dtype']} {v['shape']}")
            a, b = v["data_offsets"]
            f.seek(8 + n + a)
            out[k[: -len(SUFFIX)]] = struct.unpack("<f", f.read(b - a))[0]
        return out


def main(d):
    runs = []
    for f in glob.glob(os.path.join(d, "s*.json")):
        if f.endswith(".scales.json"):
            continue
        seed = int(os.path.basename(f)[1:-len(".json")])
        doc = json.load(open(f))
        runs.append((seed, doc["phases"]["naive_ptq"], json.load(open(os.path.join(d, f"s{seed}.scales.json")))))
    if not runs:
        sys.exit(f"{d}: no quantize results")
    runs.sort(key=lambda r: r[0])
    print("| seed | naive PTQ CDA | ASR-nt |")
    print("|---|---:|---:|")
    for seed, ph, _ in runs:
        print(f"| {seed} | {ph['cda']:.2f} | {ph['asr_no_target']:.2f} |")
    first = runs[0][2]
    print()
    print("| activation quantizer | scale, seed " + str(runs[0][0]) + " | " + " | ".join(f"seed {s} / seed {runs[0][0]}" for s, _, _ in runs[1:]) + " | spread (max / min) |")
    print("|---|" + "---:|" * (len(runs) + 1))
    spreads = []
    for k, s0 in first.items():
        vals = [r[2][k] for r in runs]
        spread = max(vals) / min(vals)
        spreads.append(spread)
        print(f"| {k} | {s0:.4f} | " + " | ".join(f"{v / s0:.3f}" for v in vals[1:]) + f" | {spread:.3f} |")
    print()
    print(f"largest spread {max(spreads):.3f}, median spread {sorted(spreads)[len(spreads) // 2]:.3f} over {len(spreads)} quantizers")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--extract":
        print(json.dumps(scales(sys.argv[2]), indent=1))
    else:
        main(sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__))
