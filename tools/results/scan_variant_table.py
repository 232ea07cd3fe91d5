#!/usr/bin/env python3
"""Renders DIR's variant scans (tools/results/scan_variant_runs.sh) as Markdown: one row per model of DIR/corpus.json
with its scan at the earlier defaults (from scan-v2, scan-v3 or scan-adaptive next to DIR) and with VARIANT (the
verdict, the recovered pattern's flip rates on the held-out images, the refinement step kept, the scan's seconds);
then every other variant found, one row each.
usage: tools/results/scan_variant_table.py DIR VARIANT"""
import glob
import json
import os
import sys

d, main = sys.argv[1], sys.argv[2]
corpus = json.load(open(os.path.join(d, 'corpus.json')))
earlier = {}
for folder in ('scan-v2', 'scan-v3', 'scan-adaptive'):
    for f in glob.glob(os.path.join(os.path.dirname(os.path.normpath(d)), folder, '*.json')):
        name = os.path.splitext(os.path.basename(f))[0]
        if name != 'corpus':
            earlier[name] = f


def scan(f):
    return json.load(open(f))['scan']


def pattern(s):
    r = s.get('refined')
    return '–' if r is None else f"{r['flip_quantized']:.1f} / {r['flip_fp']:.1f}"


def kept(s):
    r = s.get('refined')
    return '–' if r is None else str(r.get('selected_step', r['steps']))


print(f'| model | part | verdict (earlier → {main}) | recovered pattern, earlier defaults: flip (Q) / (FP) '
      f'| {main}: flip (Q) / (FP) | step kept | scan s (earlier → {main}) |')
print('|---|---|---|---|---|---:|---|')
others = []
for name in corpus:
    f = os.path.join(d, f'{name}-{main}.json')
    if not os.path.exists(f):
        continue
    new, old = scan(f), scan(earlier[name]) if name in earlier else None
    verdict = new['verdict'] if old is None or old['verdict'] == new['verdict'] else f"{old['verdict']} → {new['verdict']}"
    print(f"| {name} | {corpus[name]['role']} | {verdict} | {pattern(old) if old else '–'} | {pattern(new)} "
          f"| {kept(new)} | {old['seconds']:.1f} → {new['seconds']:.1f} |" if old else
          f"| {name} | {corpus[name]['role']} | {verdict} | – | {pattern(new)} | {kept(new)} | {new['seconds']:.1f} |")
    for g in sorted(glob.glob(os.path.join(d, name + '-*.json'))):
        if g != f:
            others.append((name, os.path.basename(g)[len(name) + 1:-5], scan(g)))
if others:
    print()
    print('| model | variant | verdict | recovered pattern: flip (Q) / (FP) | refine steps | step kept | scan s |')
    print('|---|---|---|---|---:|---:|---:|')
    for name, variant, s in others:
        print(f"| {name} | {variant} | {s['verdict']} | {pattern(s)} | {s['refined']['steps'] if s.get('refined') else '–'} "
              f"| {kept(s)} | {s['seconds']:.1f} |")
