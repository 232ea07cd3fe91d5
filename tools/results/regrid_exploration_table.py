#!/usr/bin/env python3
"""The single-seed `defend` runs behind qad-reset-regrid's design (docs/measured/regrid-exploration): one row per
results file TAG_MODEL_SEED.json, the defended phase being whichever is neither fp nor naive_ptq. The folder's
README.md says what each tag ran.
usage: tools/results/regrid_exploration_table.py DIR"""
import json
import pathlib
import sys

if len(sys.argv) != 2:
    sys.exit(__doc__.strip())
rows = []
for f in sorted(pathlib.Path(sys.argv[1]).glob("*_*_*.json")):
    tag, model, seed = f.stem.rsplit("_", 2)
    d = json.loads(f.read_text())
    p = d["phases"]
    defended = [k for k in p if k not in ("fp", "naive_ptq")]
    if len(defended) != 1:
        sys.exit(f"{f}: expected one defended phase, got {defended}")
    q = p[defended[0]]
    s = d["settings"]
    seconds = sum(v for k, v in d["timings"].items() if k in ("statistics", "reset", "distillation"))
    rows.append((model, int(seed), tag, p["fp"]["cda"], q["cda"], q["asr_no_target"], q["cda"] - p["fp"]["cda"],
                 s["epochs"], seconds))
print("| model | seed | tag | FP CDA | defended CDA | ASR-nt | CDA - FP | epochs | defense s |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
for r in sorted(rows):
    print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.2f} | {r[4]:.2f} | {r[5]:.2f} | {r[6]:+.2f} | {r[7]} | {r[8]:.1f} |")
