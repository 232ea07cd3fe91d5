"""Prints the purify benchmark table from a bench/run purify output folder: per-phase wall times of
lac4j (results.json `timings`) and the PyTorch port (torch.json), ratios lac4j/PyTorch (< 1: lac4j
faster), peak RSS and wall time of both processes (/usr/bin/time -v), final CDA / ASR-no-target."""
import glob
import json
import os
import re
import sys


def gnu_time(path):
    out = {}
    for ln in open(path):
        ln = ln.strip()
        if ln.startswith("Maximum resident set size"):
            out["rss_mb"] = int(ln.split(":")[-1]) / 1024.0
        elif ln.startswith("Elapsed (wall clock) time"):
            t = ln.split("):")[-1].strip().split(":")
            out["wall_s"] = sum(float(x) * 60 ** i for i, x in enumerate(reversed(t)))
    return out


def main(d):
    rj = sorted(glob.glob(os.path.join(d, "lac4j", "**", "results.json"), recursive=True))
    if not rj:
        sys.exit(f"no results.json under {d}/lac4j")
    j = json.load(open(rj[-1]))
    t = json.load(open(os.path.join(d, "torch.json")))
    jt, tt = j.get("timings", {}), t["timings"]
    # lac4j phase -> port phase
    rows = [("calibration", "calibration", "calibration"), ("cache", "cache", "cache"), ("PDA", "pda", "pda"),
            ("reconstruction", "reconstruction", "reconstruction"),
            ("evaluation (purified)", "purified_eval", "evaluation")]
    print(f"{'phase':24s} {'lac4j s':>10s} {'PyTorch s':>10s} {'ratio':>7s}")
    for label, jk, tk in rows:
        a, b = jt.get(jk), tt.get(tk)
        r = f"{a / b:7.2f}" if a is not None and b else "      -"
        fa = f"{a:10.1f}" if a is not None else f"{'-':>10s}"
        fb = f"{b:10.1f}" if b is not None else f"{'-':>10s}"
        print(f"{label:24s} {fa} {fb} {r}")
    sa = sum(jt.get(jk) or 0 for _, jk, _ in rows)
    sb = sum(tt.get(tk) or 0 for _, _, tk in rows)
    print(f"{'purify total (phases)':24s} {sa:10.1f} {sb:10.1f} {sa / sb if sb else float('nan'):7.2f}")
    other = {k: v for k, v in jt.items() if k not in {r[1] for r in rows}}
    if other:
        print("lac4j other timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in other.items()))
    gj, gt = gnu_time(os.path.join(d, "time-lac4j.txt")), gnu_time(os.path.join(d, "time-torch.txt"))
    print(f"{'process wall (s)':24s} {gj.get('wall_s', 0):10.1f} {gt.get('wall_s', 0):10.1f}"
          "   (lac4j also evaluates FP and naive PTQ; the port does not)")
    print(f"{'peak RSS (MB)':24s} {gj.get('rss_mb', 0):10.0f} {gt.get('rss_mb', 0):10.0f}")
    ph = j.get("phases", {})
    pur = ph.get("purified") or ph.get(list(ph)[-1]) if ph else {}
    print(f"{'CDA (%)':24s} {pur.get('cda', float('nan')):10.2f} {t['cda']:10.2f}")
    print(f"{'ASR-no-target (%)':24s} {pur.get('asr_no_target', float('nan')):10.2f} {t['asr_no_target']:10.2f}")
    print(f"phases in results.json: {list(ph)}; file {rj[-1]}")


if __name__ == "__main__":
    main(sys.argv[1])
