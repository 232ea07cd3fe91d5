#!/usr/bin/env python3
"""The per-family purify table of docs/checkpoints.md from the runs' results.json files, so every
number there comes from a run: family, data, CDA FP / naive W4A4 / LAC+PDA, wall times.

usage: families_table.py DIR   (DIR holds <family>.results.json and <family>.times.txt)
"""
import glob
import json
import os
import sys


def main(d):
    print("| family (instance) | data | FP | naive W4A4 | LAC + PDA | train, purify |")
    print("|---|---|---|---|---|---|")
    for f in sorted(glob.glob(os.path.join(d, "*.results.json"))):
        doc = json.load(open(f))
        p = doc["phases"]
        times = open(f.replace(".results.json", ".times.txt")).read().strip()
        print("| %s | %s | %.2f | %.2f | %.2f | %s |" % (doc["model"]["arch"], doc["data"]["name"] + (" (64 px image folder)" if doc["data"]["name"] == "fm64" else " (28 px)"), p["fp"]["cda"],
                                                     p["naive_ptq"]["cda"], p["purified"]["cda"], times))


if __name__ == "__main__":
    main(sys.argv[1])
