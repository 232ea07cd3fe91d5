#!/usr/bin/env python3
"""docs/deploy.md's table from the runs: each `lac4j defend … --output-dir DIR/<name>` result
(DIR/<name>.json) next to `lac4j evaluate --checkpoint DIR/<name>/<model>.onnx` in ONNX Runtime
(DIR/<name>.<model>.ort.json).

usage: onnx_table.py DIR
"""
import json,glob,os,sys
d=sys.argv[1]
print("| model, deployment | defense | lac4j CDA / ASR / ASR-nt | ONNX Runtime CDA / ASR / ASR-nt | largest difference | lac4j eval s | ORT eval s |")
print("|---|---|---|---|---|---|---|")
for n in ['demo_naive','demo_lacpda','a4_naive','a4_lacact','pq_naive_w8','pq_naive_w4','pq_lac_w4']:
    f=os.path.join(d,n+'.json')
    if not os.path.exists(f): continue
    doc=json.load(open(f)); ph=doc['phases']
    key=[k for k in ph if k not in ('fp',)][-1]
    l=ph[key]
    for o in glob.glob(os.path.join(d,n+'.*.ort.json')):
        od=json.load(open(o)); r=od['phases']['onnx']
        diff=max(abs(l['cda']-r['cda']),abs(l['asr']-r['asr']),abs(l['asr_no_target']-r['asr_no_target']))
        dep=doc['settings']['deployment']+' W%dA%d'%(doc['settings']['bits'], 8 if doc['settings']['deployment']!='academic' else doc['settings']['bits'])
        print("| %s, %s | %s | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %.4f | %.1f | %.1f |"%(os.path.basename(doc['model']['checkpoint']),dep,doc['method'],l['cda'],l['asr'],l['asr_no_target'],r['cda'],r['asr'],r['asr_no_target'],diff,doc['timings'].get(key+'_eval',0),od['timings']['onnx_eval']))
