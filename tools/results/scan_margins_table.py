#!/usr/bin/env python3
"""How far each scan's verdict sits from the thresholds it was decided by: for every model of DIR/corpus.json and every
variant, the class that matters (a QCB's or FP backdoor's true target; for a clean model the class with the highest
anomaly index) with its anomaly index and its search pattern's flip rates on the quantized and the FP model (held-out
images, %). A QCB is flagged when index >= anomaly, flip (Q) >= min_flip and flip (FP) < max_fp_flip (the scan's
settings), so these three numbers say how near a verdict came to turning. Then per variant the smallest margin of
each rule over the QCB rows and the largest index and flip (Q) over the clean rows.
Reads DIR/<name>-<VARIANT>.json; a variant written OTHER:VARIANT is read from folder OTHER.
usage: tools/results/scan_margins_table.py DIR [OTHER:]VARIANT..."""
from scan_files import folder_and_variants

d, variants, corpus, scans_of = folder_and_variants(__doc__)


def watched(c, s):
    if c['truth'] == 'clean':
        return max(s['classes'], key=lambda k: k['anomaly_index'])
    return s['classes'][c['target']]


print('| model | truth | ' + ' | '.join(f'{v}: class, index, flip (Q) / (FP)' for v in variants) + ' |')
print('|---|---|' + '---|' * len(variants))
worst = {v: {'qcb_index': [], 'qcb_flip': [], 'qcb_fp': [], 'clean_index': [], 'clean_flip': []} for v in variants}
for name, c in corpus.items():
    scans = scans_of[name]
    if all(s is None for s in scans):
        continue
    cells = []
    for v, s in zip(variants, scans):
        if s is None:
            cells.append('–')
            continue
        k = watched(c, s)
        cells.append(f"{k['class']}, {k['anomaly_index']:.2f}, {k['flip_quantized']:.1f} / {k['flip_fp']:.1f}")
        w = worst[v]
        if c['truth'] == 'qcb':
            w['qcb_index'].append(k['anomaly_index'])
            w['qcb_flip'].append(k['flip_quantized'])
            w['qcb_fp'].append(k['flip_fp'])
        elif c['truth'] == 'clean':
            w['clean_index'].append(k['anomaly_index'])
            w['clean_flip'].append(k['flip_quantized'])
    truth = c['truth'] + (f" {c['target']}" if 'target' in c else '')
    print(f'| {name} | {truth} | ' + ' | '.join(cells) + ' |')
print()
for v, w in worst.items():
    parts = []
    if w['qcb_index']:
        parts.append(f"QCB rows: lowest index {min(w['qcb_index']):.2f}, lowest flip (Q) {min(w['qcb_flip']):.1f}, "
                     f"highest flip (FP) {max(w['qcb_fp']):.1f}")
    if w['clean_index']:
        parts.append(f"clean rows: highest index {max(w['clean_index']):.2f}, highest flip (Q) {max(w['clean_flip']):.1f}")
    print(f'- `{v}`: ' + '; '.join(parts))
