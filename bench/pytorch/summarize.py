"""Reads RESULT lines (from io.lac4j.bench.Harness and bench_torch.py) on stdin or from files and
prints, per metric, median / min / max / n of each side and the ratio lac4j/PyTorch of medians.
For throughputs (img/s) a ratio > 1 means lac4j is faster; for times (s) a ratio < 1 does."""
import statistics
import sys
from collections import defaultdict


def main(paths):
    data = defaultdict(lambda: defaultdict(list))
    units = {}
    lines = []
    for p in paths or ["-"]:
        lines += (sys.stdin if p == "-" else open(p)).read().splitlines()
    for ln in lines:
        f = ln.split("\t")
        if len(f) == 6 and f[0] == "RESULT":
            data[f[2]][f[1]].append(float(f[4]))
            units[f[2]] = f[5]
    print(f"{'metric':34s} {'side':6s} {'median':>12s} {'min':>12s} {'max':>12s} {'n':>3s}")
    for metric, sides in data.items():
        for side in ("lac4j", "torch"):
            v = sides.get(side)
            if v:
                print(f"{metric:34s} {side:6s} {statistics.median(v):12.3f} {min(v):12.3f} {max(v):12.3f} {len(v):3d}")
        if sides.get("lac4j") and sides.get("torch"):
            r = statistics.median(sides["lac4j"]) / statistics.median(sides["torch"])
            better = "faster" if (r > 1) == (units[metric] != "s") else "slower"
            print(f"{metric:34s} {'ratio':6s} {r:12.3f}   lac4j/PyTorch ({units[metric]}; lac4j {better})")


if __name__ == "__main__":
    main(sys.argv[1:])
