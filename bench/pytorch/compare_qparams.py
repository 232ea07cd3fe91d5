"""Compares the (scale, zero point) of every quantizer written by the two calibration harnesses.
Weight quantizers ('w:<conv/linear>') are matched by name ('.' and '_' alike); activation
quantizers ('a:<node>_post_act_fake_quantizer') by graph order, because torch.fx names functional
ReLUs relu_1, relu_2, ... where lac4j uses module paths (layer1.0.relu)."""
import json
import sys

import numpy as np


def norm(k):
    return k.replace(".", "_")


def main(java_path, torch_path):
    j = {norm(k): v for k, v in json.load(open(java_path)).items()}
    t = {norm(k): v for k, v in json.load(open(torch_path)).items()}
    ja = [k for k in j if k.startswith("a:")]
    ta = [k for k in t if k.startswith("a:")]
    if len(ja) == len(ta):
        for a, b in zip(ja, ta):
            if a != b:
                t[a] = t.pop(b)
    common = sorted(set(j) & set(t))
    only = sorted(set(j) ^ set(t))
    exact = 0
    for k in common:
        sj = np.array(j[k]["scale"], dtype=np.float32)
        st = np.array(t[k]["scale"], dtype=np.float32)
        zj, zt = np.array(j[k]["zero_point"]), np.array(t[k]["zero_point"])
        if sj.shape == st.shape and (sj == st).all() and (zj == zt).all():
            exact += 1
        else:
            rel = float(np.max(np.abs(sj - st) / np.maximum(np.abs(st), 1e-30))) if sj.shape == st.shape else float("nan")
            print(f"qparams differ: {k}: max rel scale diff {rel:.3g}, zero points differ in "
                  f"{int((zj != zt).sum()) if zj.shape == zt.shape else 'shape'} channel(s)")
    print(f"qparams: {exact}/{len(common)} quantizers bit-identical lac4j vs PyTorch"
          + (f"; unmatched names: {only}" if only else ""))


if __name__ == "__main__":
    main(*sys.argv[1:3])
