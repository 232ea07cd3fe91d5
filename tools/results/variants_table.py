#!/usr/bin/env python3
"""Renders tuning runs as one markdown table: DIR/variants.tsv names each tag's change, DIR/<tag>/*.json are its
defend runs (tools/results/range_sweep_runs.sh). Columns: tag, change, model, seed, defended CDA / ASR-no-target,
CDA minus FP, worst ASR-no-target over the range sweep and requantized (when run), distillation seconds.
usage: tools/results/variants_table.py DIR
"""
import glob
import json
import os
import sys

import run_names


def main(d):
    variants = []
    for line in open(os.path.join(d, "variants.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        tag, change = line.rstrip("\n").split("\t")
        variants.append((tag, change))
    print("| tag | change | model | seed | CDA / ASR-nt | CDA - FP | worst ASR-nt, x0.9-1.1 | requantized ASR-nt | distillation s |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|")
    for tag, change in variants:
        for f in sorted(glob.glob(os.path.join(d, tag, "*.json"))):
            doc = json.load(open(f))
            phases = doc["phases"]
            name = [k for k in phases if k not in ("fp", "naive_ptq")][-1]
            p = phases[name]
            sweep = doc.get("range_sweep", {}).get(name)
            rq = doc.get("requantized", {}).get(name)
            worst = max([p["asr_no_target"]] + [e["asr_no_target"] for e in sweep]) if sweep else None
            model = run_names.model_of(f, doc)
            print(f"| {tag} | {change} | {model} | {doc['settings']['seed']} | {p['cda']:.2f} / {p['asr_no_target']:.2f} | "
                  f"{p['cda'] - phases['fp']['cda']:+.2f} | " + (f"{worst:.2f}" if sweep else "–") + " | "
                  + (f"{rq['asr_no_target']:.2f}" if rq else "–") + f" | {doc['timings'].get('distillation', 0):.0f} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__))
