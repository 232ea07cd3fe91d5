#!/usr/bin/env python3
"""Renders the requantization checks of tools/results/range_sweep_runs.sh DIR (REQUANTIZE=1) as a markdown table.

One row per model, defense and seed: FP, the defended model as lac4j evaluated (and exports as ONNX), and its exported
.pth quantized again on the same calibration images, with the requantized activation scales over the defended ones.
usage: tools/results/requantize_table.py DIR
"""
import glob
import json
import os
import sys

import run_names


def main(d):
    rows = []
    for f in sorted(glob.glob(os.path.join(d, "*.json"))):
        doc = json.load(open(f))
        if doc.get("command") != "defend" or "requantized" not in doc:
            continue
        phases = doc["phases"]
        name = run_names.model_of(f, doc)
        defended = [k for k in phases if k not in ("fp", "naive_ptq")][-1]
        rows.append((name, doc["method"], doc["settings"]["seed"], phases["fp"], phases[defended], doc["requantized"][defended]))
    if not rows:
        sys.exit(f"{d}: no defend results with a requantization check")
    head = ["model", "defense", "seed", "FP CDA / ASR-nt", "defended CDA / ASR-nt", "requantized CDA / ASR-nt",
            "activation scales requantized / defended (min, median, max)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] * 3 + ["---:"] * (len(head) - 3)) + "|")
    for name, method, seed, fp, ph, rq in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        print(f"| {name} | {method} | {seed} | {fp['cda']:.2f} / {fp['asr_no_target']:.2f} | {ph['cda']:.2f} / "
              f"{ph['asr_no_target']:.2f} | {rq['cda']:.2f} / **{rq['asr_no_target']:.2f}** | "
              f"{rq['scale_ratio_min']:.3f}, {rq['scale_ratio_median']:.3f}, {rq['scale_ratio_max']:.3f} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__))
