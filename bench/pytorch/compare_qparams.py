"""Compares the (scale, zero point) of every quantizer written by the two calibration harnesses.
Keys: 'w:<conv/linear>' and 'a:<node>_post_act_fake_quantizer'; '.' and '_' are treated alike."""
import json
import sys

import numpy as np


def norm(k):
    return k.replace(".", "_")


def main(java_path, torch_path):
    j = {norm(k): v for k, v in json.load(open(java_path)).items()}
    t = {norm(k): v for k, v in json.load(open(torch_path)).items()}
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
