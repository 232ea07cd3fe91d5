#!/usr/bin/env python3
"""Issue 20's tables from `lac4j compare` outputs (tools/results/adaptive_runs.sh): for every model of DIR/models.tsv
that has DIR/compare-<name>/compare.json, its FP figures (from the model's manifest, all 10 000 test images) and,
per defense, CDA and ASR-no-target of every seed, the worst seed's ASR-no-target, the mean wall time and its ratio
to lac+pda's. Checks the bar of the issue: ASR-no-target < 5 % on every seed and CDA within 2 points of FP.
When DIR's compare ran without lac+pda, BASE (a directory of the same script's outputs, same seeds and max_count)
supplies lac+pda's wall times for the ratio, which is then marked with a dagger: measured in another job.

usage: adaptive_table.py DIR [BASE]
"""
import json
import os
import sys


def manifest_fp(checkpoint):
    path = os.path.splitext(checkpoint)[0] + ".json"
    if not os.path.exists(path):
        return None
    fp = json.load(open(path)).get("final_metrics", {}).get("fp")
    return None if fp is None else (fp["cda"], fp["asr_no_target"])


def lac_pda_seconds(d, name, bits):
    path = os.path.join(d, "compare-" + name, "compare.json")
    if not os.path.exists(path):
        return []
    return [r["seconds"] for r in json.load(open(path))["runs"] if r["bits"] == bits and r["defense"] == "lac+pda"]


def main(d, base_dir=None):
    print("| model | FP | defense | bits | CDA per seed | ASR-nt per seed | worst ASR-nt | time (s) | × lac+pda | bar |")
    print("|---|---|---|---:|---|---|---:|---:|---:|---|")
    for line in open(os.path.join(d, "models.tsv")):
        if line.startswith("#") or not line.strip():
            continue
        name, checkpoint = line.rstrip("\n").split("\t")[:2]
        path = os.path.join(d, "compare-" + name, "compare.json")
        if not os.path.exists(path):
            continue
        doc = json.load(open(path))
        fp = manifest_fp(checkpoint)
        fp_text = "–" if fp is None else "%.2f / %.2f" % fp
        for bits in doc["settings"]["bits"]:
            runs = [r for r in doc["runs"] if r["bits"] == bits]
            base = [r["seconds"] for r in runs if r["defense"] == "lac+pda"]
            mark = ""
            if not base and base_dir is not None:
                base = lac_pda_seconds(base_dir, name, bits)
                mark = "†"
            for defense in doc["settings"]["defenses"]:
                rs = sorted((r for r in runs if r["defense"] == defense), key=lambda r: r["seed"])
                if not rs:
                    continue
                cda = [r["cda"] for r in rs]
                nt = [r["asr_no_target"] for r in rs]
                secs = sum(r["seconds"] for r in rs) / len(rs)
                ratio = "%.2f%s" % (secs / (sum(base) / len(base)), mark) if base else "–"
                bar = "–"
                if fp is not None and defense != "naive":
                    ok = max(nt) < 5 and min(cda) >= fp[0] - 2
                    bar = "holds" if ok else "fails"
                print("| %s | %s | %s | %d | %s | %s | %.2f | %.1f | %s | %s |" % (
                    name, fp_text, defense, bits, ", ".join("%.2f" % c for c in cda),
                    ", ".join("%.2f" % a for a in nt), max(nt), secs, ratio, bar))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
