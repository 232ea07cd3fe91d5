#!/usr/bin/env python3
"""The same scan version on two machines: for every model of DIR/corpus.json, the verdict, the recovered pattern's
flip rates (quantized / FP, held-out images) and the scan's seconds from OTHER/<name>-<OTHER_VARIANT>.json and
DIR/<name>-<VARIANT>.json (tools/results/scan_variant_runs.sh), side by side.
usage: tools/results/scan_machine_table.py OTHER OTHER_VARIANT DIR VARIANT [LEFT_LABEL RIGHT_LABEL]"""
import sys

from scan_files import corpus, section

other, other_variant, d, variant = sys.argv[1:5]
left, right = (sys.argv[5], sys.argv[6]) if len(sys.argv) > 6 else ('before', 'now')


def pattern(s):
    return '–' if s is None or s.get('refined') is None else \
        f"{s['refined']['flip_quantized']:.1f} / {s['refined']['flip_fp']:.1f}"


def verdict(s):
    return '–' if s is None else s['verdict']


def seconds(s):
    return '–' if s is None else f"{s['seconds']:.1f}"


print(f'| model | deployment | part | verdict ({left} → {right}) | recovered pattern, {left}: flip (Q) / (FP) '
      f'| {right}: flip (Q) / (FP) | scan s ({left} → {right}) |')
print('|---|---|---|---|---|---|---|')
for name, c in corpus(d).items():
    a = section(other, name, other_variant)
    b = section(d, name, variant)
    if b is None:
        continue
    print(f"| {name} | {c['deployment']} | {c['role']} | {verdict(a)} → {verdict(b)} | {pattern(a)} | {pattern(b)} "
          f"| {seconds(a)} → {seconds(b)} |")
