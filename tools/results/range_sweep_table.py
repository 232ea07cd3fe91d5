#!/usr/bin/env python3
"""Renders the range sweeps of tools/results/range_sweep_runs.sh DIR as a markdown table.

One row per model, defense and seed: FP, the defended model's CDA and ASR-no-target at the calibrated ranges
(factor 1), ASR-no-target with every activation range scaled by each factor, the worst of them, and the lowest CDA
over the sweep (so that a rise in ASR-no-target can be told from a model that merely broke).
usage: tools/results/range_sweep_table.py DIR
"""
import glob
import json
import os
import sys

import run_names


def main(d):
    rows = []
    factors = None
    for f in sorted(glob.glob(os.path.join(d, "*.json"))):
        doc = json.load(open(f))
        if doc.get("command") != "defend":
            continue
        phases = doc["phases"]
        name = run_names.model_of(f, doc)
        defended = [k for k in phases if k not in ("fp", "naive_ptq")][-1]
        sweep = doc["range_sweep"][defended]
        fs = [p["factor"] for p in sweep]
        if factors is None:
            factors = fs
        elif fs != factors:
            sys.exit(f"{f}: factors {fs} differ from {factors}")
        at1 = phases[defended]["asr_no_target"]
        nts = [p["asr_no_target"] for p in sweep]
        low = min([phases[defended]["cda"]] + [p["cda"] for p in sweep])
        rows.append((name, doc["method"], doc["settings"]["seed"], phases["fp"], phases[defended], nts, max([at1] + nts), low))
    if not rows:
        sys.exit(f"{d}: no defend results")
    head = ["model", "defense", "seed", "FP CDA / ASR-nt", "CDA", "ASR-nt ×1"] + [f"ASR-nt ×{f:g}" for f in factors] + ["worst ASR-nt", "lowest CDA"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] * 3 + ["---:"] * (len(head) - 3)) + "|")
    for name, method, seed, fp, ph, nts, worst, low in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        cells = [name, method, str(seed), f"{fp['cda']:.2f} / {fp['asr_no_target']:.2f}", f"{ph['cda']:.2f}",
                 f"{ph['asr_no_target']:.2f}"] + [f"{v:.2f}" for v in nts] + [f"**{worst:.2f}**" if worst >= 5 else f"{worst:.2f}", f"{low:.2f}"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__))
