#!/usr/bin/env python3
"""One table across models from `lac4j compare` outputs (compare.json), so docs/attacks-and-defenses.md's summary
comes from the runs: a row per (model, widths), a column per defense, each cell the mean
CDA / ASR-no-target over seeds.

usage: compare_summary.py LABEL=DIR/compare.json ...
"""
import json
import sys


def main(args):
    docs = []
    defenses = []
    for arg in args:
        label, path = arg.split("=", 1)
        doc = json.load(open(path))
        docs.append((label, doc))
        for d in doc["settings"]["defenses"]:
            if d not in defenses:
                defenses.append(d)
    print("| model | deployment | " + " | ".join(defenses) + " |")
    print("|---|---|" + "---|" * len(defenses))
    for label, doc in docs:
        widths = doc["settings"].get("widths", {})
        for bits in doc["settings"]["bits"]:
            cells = []
            for d in defenses:
                row = next((r for r in doc["rows"] if r["defense"] == d and r["bits"] == bits), None)
                cells.append("–" if row is None else "%.2f / %.2f" % (row["cda"]["mean"], row["asr_no_target"]["mean"]))
            dep = "%s %s" % (doc["settings"].get("deployment", "academic"), widths.get(str(bits), "W%dA%d" % (bits, bits)))
            print("| %s | %s | %s |" % (label, dep, " | ".join(cells)))


if __name__ == "__main__":
    main(sys.argv[1:])
