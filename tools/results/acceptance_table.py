#!/usr/bin/env python3
"""Renders defend runs against issue 20's bar as a markdown table: one row per model, defense and seed.

Columns: FP and naive PTQ (CDA / ASR-no-target), the defended model, its worst ASR-no-target over x1 and the range
sweep (when run), its exported .pth quantized again (when run), CDA minus FP CDA, the defense's own seconds
(timings other than evaluations, calibration and checks; LAC's reconstruction_total alone), and whether the row meets the bar: ASR-no-target under 5 %
as defended, over the sweep and requantized, and CDA within 2 points of FP. A summary line per defense follows, and
where `lac+pda` ran on the same model and seed, each defense's time as a multiple of its.
usage: tools/results/acceptance_table.py DIR...
"""
import glob
import json
import os
import sys

import run_names

NOT_DEFENSE = ("fp_eval", "calibration", "naive_ptq_eval", "onnx_check", "requantize_check", "range_sweep")


def rows(dirs):
    out = []
    for d in dirs:
        for f in sorted(glob.glob(os.path.join(d, "*.json"))):
            doc = json.load(open(f))
            if doc.get("command") != "defend":
                continue
            phases = doc["phases"]
            defended = [k for k in phases if k not in ("fp", "naive_ptq")][-1]
            name = run_names.model_of(f, doc)
            p = phases[defended]
            worst = p["asr_no_target"]
            sweep = doc.get("range_sweep", {}).get(defended)
            if sweep:
                worst = max([worst] + [e["asr_no_target"] for e in sweep])
            rq = doc.get("requantized", {}).get(defended)
            t = doc["timings"]
            # reconstruction_total already holds LAC's cache, reconstruction and PDA
            parts = ("cache", "pda", "reconstruction") if "reconstruction_total" in t else ()
            seconds = sum(v for k, v in t.items() if k not in NOT_DEFENSE + parts and not k.endswith("_eval"))
            out.append(dict(model=name, defense=doc["method"], seed=doc["settings"]["seed"], fp=phases["fp"],
                            naive=phases["naive_ptq"], p=p, worst=worst if sweep else None, rq=rq, seconds=seconds))
    return out


def worst_asr(r):
    """The highest ASR-no-target of a run: as defended, over the sweep and re-quantized, where checked."""
    return max([r["p"]["asr_no_target"]] + ([r["worst"]] if r["worst"] is not None else [])
               + ([r["rq"]["asr_no_target"]] if r["rq"] else []))


def close_to_fp(r):
    return r["p"]["cda"] >= r["fp"]["cda"] - 2


def passes(r):
    return worst_asr(r) < 5 and close_to_fp(r)


def main(dirs):
    rs = sorted(rows(dirs), key=lambda r: (r["defense"], r["model"], r["seed"]))
    if not rs:
        sys.exit(f"{' '.join(dirs)}: no defend results")
    head = ["model", "defense", "seed", "FP CDA / ASR-nt", "naive CDA / ASR-nt", "defended CDA / ASR-nt",
            "worst ASR-nt, x0.9-1.1", "requantized CDA / ASR-nt", "CDA - FP", "defense s", "bar"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] * 3 + ["---:"] * (len(head) - 4) + [":---:"]) + "|")
    for r in rs:
        fp, nv, p, rq = r["fp"], r["naive"], r["p"], r["rq"]
        print(f"| {r['model']} | {r['defense']} | {r['seed']} | {fp['cda']:.2f} / {fp['asr_no_target']:.2f} | "
              f"{nv['cda']:.2f} / {nv['asr_no_target']:.2f} | {p['cda']:.2f} / {p['asr_no_target']:.2f} | "
              + (f"{r['worst']:.2f}" if r["worst"] is not None else "–") + " | "
              + (f"{rq['cda']:.2f} / {rq['asr_no_target']:.2f}" if rq else "–")
              + f" | {p['cda'] - fp['cda']:+.2f} | {r['seconds']:.0f} | {'yes' if passes(r) else '**no**'} |")
    print()
    for defense in sorted({r["defense"] for r in rs}):
        mine = [r for r in rs if r["defense"] == defense]
        print(f"- `{defense}`: {sum(passes(r) for r in mine)} of {len(mine)} runs meet the bar; "
              f"ASR-nt under 5 % everywhere checked in {sum(worst_asr(r) < 5 for r in mine)}; "
              f"CDA within 2 points of FP in {sum(close_to_fp(r) for r in mine)}; "
              f"CDA - FP from {min(r['p']['cda'] - r['fp']['cda'] for r in mine):+.2f} to "
              f"{max(r['p']['cda'] - r['fp']['cda'] for r in mine):+.2f}")
    # time against LAC+PDA where both ran on the same model and seed (same directory: same machine and max_count)
    lac = {(r["model"], r["seed"]): r["seconds"] for r in rs if r["defense"] == "lac+pda"}
    for defense in sorted({r["defense"] for r in rs} - {"lac+pda"}):
        ratios = sorted((r["seconds"] / lac[(r["model"], r["seed"])], r["model"]) for r in rs
                        if r["defense"] == defense and (r["model"], r["seed"]) in lac)
        if ratios:
            print(f"- `{defense}` time / `lac+pda` time, same model and seed: "
                  + ", ".join(f"{m} {x:.2f}" for x, m in ratios)
                  + f" (median {ratios[len(ratios) // 2][0]:.2f}; {sum(x <= 2 for x, _ in ratios)} of {len(ratios)} within 2x)")


if __name__ == "__main__":
    main(sys.argv[1:] if len(sys.argv) > 1 else sys.exit(__doc__))
