#!/usr/bin/env python3
"""docs/deploy.md's table from the runs of tools/results/onnx_runs.sh: each run's results.json
(DIR/<name>.json) holds lac4j's evaluation of the defended (or naive) quantized model and, under
onnx_check, the same model's ONNX export evaluated in ONNX Runtime image by image.

usage: onnx_table.py DIR
"""
import json, os, sys

d = sys.argv[1]
names = ['demo_naive', 'demo_lacpda', 'a4_naive', 'a4_lacact', 'pq_naive_w8', 'pq_lac_w8', 'pq_naive_w4', 'pq_lac_w4']
print("| model | deployment | method | lac4j CDA / ASR / ASR-nt | ONNX Runtime CDA / ASR / ASR-nt | largest difference (points) | predictions differing | integer kernels ORT runs |")
print("|---|---|---|---|---|---|---|---|")
ops_seen = {}
for n in names:
    f = os.path.join(d, n + '.json')
    if not os.path.exists(f):
        continue
    doc = json.load(open(f))
    s = doc['settings']
    dep = s['deployment']
    bits = s['bits']
    abits = s.get('abits', bits if dep == 'academic' else 8)
    for phase, c in doc.get('onnx_check', {}).items():
        l = doc['phases'][phase]
        r = c['onnx_runtime']
        n_img = sum(c['images'].values())
        n_diff = sum(c['disagreements'].values())
        ops = c.get('operators', {})
        ints = ', '.join('%s×%d' % (k, v) for k, v in sorted(ops.items()) if 'QLinear' in k or 'Integer' in k or k.endswith('QGemm')) or 'none (Conv/Gemm in float between Q/DQ)'
        print("| %s | %s W%dA%d | %s | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %.2f | %d of %d | %s |" % (
            os.path.basename(doc['model']['checkpoint']), dep, bits, abits, doc['method'],
            l['cda'], l['asr'], l['asr_no_target'], r['cda'], r['asr'], r['asr_no_target'],
            c['largest_difference'], n_diff, n_img, ints))
        ops_seen[(n, phase)] = ops
print()
for (n, phase), ops in ops_seen.items():
    print("- `%s` (%s): %s" % (n, phase, ', '.join('%s×%d' % kv for kv in sorted(ops.items()))))
