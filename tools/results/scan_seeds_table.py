#!/usr/bin/env python3
"""The same scan at several seeds on one machine: for every model of DIR/corpus.json, whether each seed's verdict is
right (a QCB with its true target, a clean model with no QCB found, an FP backdoor as one), and the recovered
pattern's flip rates (quantized / FP, held-out images) per seed with their spread, and a second look's when one ran
(`--second-look`); then a summary line per seed.
Reads DIR/<name>-<VARIANT>.json (tools/results/scan_variant_runs.sh with SEED set); a variant written OTHER:VARIANT is
read from folder OTHER instead, so scans of two folders sit side by side (the models are DIR's corpus).
usage: tools/results/scan_seeds_table.py DIR [OTHER:]VARIANT..."""
from scan_files import folder_and_variants, right

d, variants, corpus, scans_of = folder_and_variants(__doc__)


def flips(s):
    r = s.get('refined')
    return None if r is None else (r['flip_quantized'], r['flip_fp'])


print('| model | truth | ' + ' | '.join(f'{v}: verdict, flip (Q) / (FP)' for v in variants)
      + ' | spread of flip (Q) |')
print('|---|---|' + '---|' * len(variants) + '---:|')
tally = {v: [0, 0, 0, 0, 0.0] for v in variants}    # right, rows, QCB rows clearing 80/20, QCB rows, seconds
for name, c in corpus.items():
    scans = scans_of[name]
    if all(s is None for s in scans):
        continue
    cells = []
    qs = []
    for v, s in zip(variants, scans):
        if s is None:
            cells.append('–')
            continue
        ok = right(c, s)
        t = tally[v]
        t[0] += ok
        t[1] += 1
        t[4] += s['seconds']
        f = flips(s)
        if c['truth'] == 'qcb':
            t[3] += 1
            t[2] += f is not None and f[0] > 80 and f[1] < 20
        if f is not None:
            qs.append(f[0])
        look = s.get('second_look')
        cells.append(f"{'right' if ok else '**wrong**'} ({s['verdict']})"
                     + ('' if f is None else f', {f[0]:.1f} / {f[1]:.1f}')
                     + ('' if look is None else f" [second look, class {look['class']}: "
                        f"{look['flip_quantized']:.1f} / {look['flip_fp']:.1f}]"))
    truth = c['truth'] + (f" {c['target']}" if 'target' in c else '')
    spread = f'{max(qs) - min(qs):.1f}' if len(qs) > 1 else '–'
    print(f'| {name} | {truth} | ' + ' | '.join(cells) + f' | {spread} |')
print()
for v, (ok, rows, clear, qcbs, secs) in tally.items():
    print(f'- `{v}`: {ok} of {rows} verdicts right; {clear} of {qcbs} QCB rows clear 80 / 20; {secs:.0f} s of scans')
