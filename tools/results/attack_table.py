#!/usr/bin/env python3
"""Renders the attack table (docs/attacks-and-defenses.md, issue notes) from lac4j training manifests, so every number
in it comes from a run.

usage: attack_table.py NAME=MANIFEST[,EARLIER_MANIFEST...] ...

Each NAME is one attack model; EARLIER_MANIFESTs are the steps it was made from (PQBackdoor's
stage 1, a CompArtifact run it continued), whose seconds count towards its training time and
whose command lines are listed first. Columns: FP, every targeted quantizer, then the Academic
naive-PTQ presets of --ptq-report, each as CDA / ASR-no-target on the manifest's test images.
"""
import json
import sys


def cell(m):
    return "%.2f / %.2f" % (m["cda"], m["asr_no_target"])


def main(args):
    rows, commands = [], []
    for arg in args:
        name, files = arg.split("=", 1)
        manifests = [json.load(open(f)) for f in files.split(",")]
        final = manifests[0]
        seconds = sum(m["seconds"] for m in manifests)
        metrics = final["final_metrics"]
        targeted = [q for q in final["targeted_quantizers"] if q in metrics]
        academic = [k for k in ("academic-w4a4", "academic-w8a8", "academic-w4") if k in metrics]
        own = "; ".join("%s %s" % (q, cell(metrics[q])) for q in targeted)
        rows.append("| %s | %s | %s | %s | %.0f |" % (
            name, cell(metrics["fp"]), own, " | ".join(cell(metrics[k]) for k in academic), seconds))
        for m in reversed(manifests):
            commands.append("%s: `%s`" % (name, m["command_line"]))
    print("| model | FP | targeted quantizer(s) | Academic W4A4 | Academic W8A8 | Academic W4 (weights only) | train s |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    print("CDA / ASR-no-target in %, 10 000 test images. Commands:")
    print()
    for c in commands:
        print("- " + c)


if __name__ == "__main__":
    main(sys.argv[1:])
