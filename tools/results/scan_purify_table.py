#!/usr/bin/env python3
"""docs/scan.md's purify table: per corpus QCB (DIR/corpus.json), `defend <defense> --scan` (DIR/purified/<name>.json:
true ASR-no-target and the trigger-free residual of the naive and the purified model) and `scan --run` on the purified
model (DIR/purified/<name>.scan.json: its verdict with the FP checkpoint's lean when it has one, and the FP-only pattern of the true target class on the FP and on the
purified model, when the scan measured the latter).

usage: scan_purify_table.py DIR
"""
import json, os, sys

d = sys.argv[1]
corpus = json.load(open(os.path.join(d, 'corpus.json')))
print("| model | deployment | defense | CDA naive → purified | ASR-nt naive → purified (true trigger) | residual naive → purified (scan's pattern) | scan --run of the purified model | its FP-only pattern of the target: flip FP / purified |")
print("|---|---|---|---|---|---|---|---|")
for name, c in corpus.items():
    if c['truth'] != 'qcb':
        continue
    f = os.path.join(d, 'purified', name + '.json')
    g = os.path.join(d, 'purified', name + '.scan.json')
    if not (os.path.exists(f) and os.path.exists(g)):
        print("| %s | %s | %s | not run | | | | |" % (c['model'], c['deployment'], c['defense']))
        continue
    r = json.load(open(f))
    phases = r['phases']
    last = [k for k in phases if k not in ('fp', 'naive_ptq')][-1]
    res = r['scan']['residual']
    s = json.load(open(g))['scan']
    k = next(x for x in s['classes'] if x['class'] == c['target'])
    fp_only = "%.1f / %s" % (k['fp_only_flip'], "%.1f" % k['fp_only_flip_quantized'] if 'fp_only_flip_quantized' in k else "–")
    print("| %s | %s | %s | %.2f → %.2f | %.2f → %.2f | %.1f → %.1f (class %d) | %s | %s |" % (
        c['model'], c['deployment'], c['defense'], phases['naive_ptq']['cda'], phases[last]['cda'],
        phases['naive_ptq']['asr_no_target'], phases[last]['asr_no_target'], res['naive_ptq'], res[last],
        r['scan']['suspect'], s['verdict'] + (" (FP checkpoint leans to %d)" % s['fp_lean']['class'] if 'fp_lean' in s else ""),
        fp_only))
