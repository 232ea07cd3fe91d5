#!/usr/bin/env python3
"""docs/scan.md's table: each corpus model's `lac4j scan --json DIR/<name>.json` next to what the model
is (DIR/corpus.json: name -> {"model", "deployment", "truth": "qcb"|"fp_backdoor"|"clean", "target", "role"}).
A QCB counts as found only with its true target.

usage: scan_table.py DIR
"""
import json, os, sys

d = sys.argv[1]
corpus = json.load(open(os.path.join(d, 'corpus.json')))
refined = any(os.path.exists(os.path.join(d, n + '.json')) and 'refined' in json.load(open(os.path.join(d, n + '.json')))['scan']
              for n in corpus)
print("| model | deployment | part | is | verdict | right | class k: flip (Q) / (FP) / FP-only flip | top anomaly index (class) |"
      + (" recovered pattern, refined: flip (Q) / (FP) |" if refined else "") + " scan s |")
print("|---|---|---|---|---|---|---|---|" + ("---|" if refined else "") + "---|")
for name, c in corpus.items():
    f = os.path.join(d, name + '.json')
    if not os.path.exists(f):
        print("| %s | %s | %s | %s | not scanned | | | | |" % (c['model'], c['deployment'], c['role'], c['truth']))
        continue
    s = json.load(open(f))['scan']
    truth = c['truth']
    if truth == 'clean':
        right = s['kind'] == 'no_qcb'
        is_ = 'clean'
    elif truth == 'qcb':
        right = s['kind'] == 'qcb_suspected' and s.get('target') == c['target']
        is_ = 'QCB, target %d' % c['target']
    else:
        right = s['kind'] == 'fp_backdoor' and s.get('target') == c['target']
        is_ = 'FP backdoor, target %d' % c['target']
    k = c.get('target', s['suspect'])
    row = s['classes'][k]
    top = max(s['classes'], key=lambda r: r['anomaly_index'])
    ref = ''
    if refined:
        r = s.get('refined')
        ref = (' %.1f / %.1f (class %d) |' % (r['flip_quantized'], r['flip_fp'], r['class'])) if r else ' – |'
    print("| %s | %s | %s | %s | %s | %s | k=%d: %.1f / %.1f / %.1f | %.2f (%d) |%s %.1f |" % (
        c['model'], c['deployment'], c['role'], is_,
        s['verdict'] + (" (FP checkpoint leans to %d)" % s['fp_lean']['class'] if 'fp_lean' in s else ""), 'yes' if right else '**no**',
        k, row['flip_quantized'], row['flip_fp'], row['fp_only_flip'], top['anomaly_index'], top['class'], ref, s['seconds']))
