"""PyTorch side of bench/run: writes the shared checkpoint/data, then measures the same workload as
io.lac4j.bench.Harness and prints the same lines:  RESULT<TAB>torch<TAB>metric<TAB>rep<TAB>value<TAB>unit

  python bench_torch.py make-checkpoint OUT.pth --channels 3 --width 64 [--seed 0]
  python bench_torch.py make-data DIR [--batches 32 --cali-batch 32 --eval-batch 128]
  python bench_torch.py fp-throughput --checkpoint M.pth --channels 3 --size 32 [--batch 128 ...]
  python bench_torch.py calibration --checkpoint M.pth --data DIR [--batches 32 ... --qparams-out F]
  python bench_torch.py purify --checkpoint M.pth --max-count N --pda-count P [--batches 32 --out F]

Threads: --threads (default 2) -> torch.set_num_threads / set_num_interop_threads(1).
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools", "fixtures"))

import fmnist  # noqa: E402
import lac_port  # noqa: E402
from zoo_torch import CifarResNet18  # noqa: E402


def result(metric, rep, value, unit):
    print(f"RESULT\ttorch\t{metric}\t{rep}\t{value:.6f}\t{unit}", flush=True)


def load_model(path):
    sd = torch.load(path, map_location="cpu", weights_only=True)
    sd = sd.get("state_dict", sd) if isinstance(sd, dict) and "state_dict" in sd else sd
    in_ch = sd["conv1.weight"].shape[1]
    width = sd["conv1.weight"].shape[0]
    ncls = sd["linear.weight"].shape[0]
    m = CifarResNet18(in_ch, ncls, width)
    m.load_state_dict(sd, strict=True)
    return m.eval()


def make_checkpoint(a):
    """Random weights (seeded), BN running stats randomised so eval-mode BN is not the identity."""
    torch.manual_seed(a.seed)
    m = CifarResNet18(a.channels, a.classes, a.width)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.1, 0.1)
                mod.running_var.uniform_(0.5, 1.5)
    torch.save(m.state_dict(), a.out)


def make_data(a):
    """Fashion-MNIST calibration images (the first batches*cali_batch train images) and one eval
    batch (the first eval_batch test images), normalised, float32 little-endian."""
    os.makedirs(a.dir, exist_ok=True)
    xtr, _ = fmnist.load("train")
    xte, _ = fmnist.load("t10k")
    cali = fmnist.normalize(fmnist.to_tensor(xtr[: a.batches * a.cali_batch]))
    ev = fmnist.normalize(fmnist.to_tensor(xte[: a.eval_batch]))
    cali.numpy().astype("<f4").tofile(os.path.join(a.dir, "cali.f32"))
    ev.numpy().astype("<f4").tofile(os.path.join(a.dir, "eval.f32"))


def fp_throughput(a):
    m = load_model(a.checkpoint)
    x = torch.randn(a.batch, a.channels, a.size, a.size)
    with torch.no_grad():
        for r in range(-a.warmup, a.reps):
            t0 = time.perf_counter()
            for _ in range(a.iters):
                y = m(x)
                float(y[0, 0])
            s = time.perf_counter() - t0
            if r >= 0:
                result(f"{a.label}_images_per_s", r, a.batch * a.iters / s, "img/s")


def _read(dirname, name, shape):
    return torch.from_numpy(np.fromfile(os.path.join(dirname, name), dtype="<f4").reshape(shape))


def calibration(a):
    base = load_model(a.checkpoint)
    c, s = a.channels, a.size
    cali = _read(a.data, "cali.f32", (-1, c, s, s))
    batches = [cali[k * a.cali_batch:(k + 1) * a.cali_batch] for k in range(a.batches)]
    ex = _read(a.data, "eval.f32", (-1, c, s, s))[: a.eval_batch]
    for r in range(-a.warmup, a.reps):
        gm = lac_port.prepare(base)        # deep-copies via fx trace + fresh modules (not timed)
        t0 = time.perf_counter()
        lac_port.calibrate(gm, batches, batches[0])
        cal = time.perf_counter() - t0
        t1 = time.perf_counter()
        with torch.no_grad():
            for _ in range(a.eval_iters):
                float(gm(ex)[0, 0])
        ev = time.perf_counter() - t1
        if r >= 0:
            result("calibration_s", r, cal, "s")
            result("quant_eval_images_per_s", r, a.eval_batch * a.eval_iters / ev, "img/s")
        if r == a.reps - 1 and a.qparams_out:
            out = {}
            for name, q in lac_port.quantizers(gm):
                if isinstance(q, lac_port.WeightFakeQuant):
                    sc, zp = q.scale, q.zero_point
                    key = "w:" + name[: -len(".weight_fake_quant")]
                else:
                    sc, zp = q.scale, q.zero_point
                    key = "a:" + name
                out[key] = {"scale": [float(v) for v in sc.reshape(-1)],
                            "zero_point": [int(v) for v in zp.reshape(-1)]}
            with open(a.qparams_out, "w") as f:
                json.dump(out, f, indent=1)


def purify(a):
    """prepare -> calibrate -> reconstruct(use_pda) -> accuracy on the clean test set and the
    no-target triggered view (stage2 trigger on test images whose label != target 0)."""
    lac_port.seed_all(a.seed)
    timings = {}
    t_all = time.perf_counter()
    base = load_model(a.checkpoint)
    xtr, _ = fmnist.load("train")
    xte, yte = fmnist.load("t10k")
    rng = np.random.RandomState(a.seed)
    idx = rng.permutation(len(xtr))[: a.batches * a.cali_batch]
    cali = fmnist.normalize(fmnist.to_tensor(xtr[idx]))
    batches = [cali[k * a.cali_batch:(k + 1) * a.cali_batch] for k in range(a.batches)]
    x01 = fmnist.to_tensor(xte)
    xc = fmnist.normalize(x01)
    y = torch.from_numpy(yte)
    keep = y != a.target
    xt = fmnist.normalize(fmnist.stage2(x01[keep]))
    yt = torch.full((int(keep.sum()),), a.target, dtype=torch.int64)

    gm = lac_port.prepare(base)
    t0 = time.perf_counter()
    lac_port.calibrate(gm, batches, batches[0])
    timings["calibration"] = time.perf_counter() - t0
    qm = lac_port.reconstruct(gm, batches, max_count=a.max_count, use_pda=a.pda_count > 0,
                              pda_count=a.pda_count, timings=timings, log=None)
    t0 = time.perf_counter()
    cda = lac_port.accuracy(qm, xc, y)
    asr = lac_port.accuracy(qm, xt, yt)
    timings["evaluation"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_all
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    out = {"timings": timings, "cda": cda, "asr_no_target": asr, "peak_rss_mb": rss_mb}
    for k, v in timings.items():
        result(f"purify_{k}_s", 0, v, "s")
    print(json.dumps(out), flush=True)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(out, f, indent=1)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    mc = sub.add_parser("make-checkpoint")
    mc.add_argument("out")
    mc.add_argument("--channels", type=int, default=3)
    mc.add_argument("--width", type=int, default=64)
    mc.add_argument("--classes", type=int, default=10)
    mc.add_argument("--seed", type=int, default=0)
    md = sub.add_parser("make-data")
    md.add_argument("dir")
    for sp in (md,):
        sp.add_argument("--batches", type=int, default=32)
        sp.add_argument("--cali-batch", type=int, default=32)
        sp.add_argument("--eval-batch", type=int, default=128)
    fp = sub.add_parser("fp-throughput")
    cal = sub.add_parser("calibration")
    pur = sub.add_parser("purify")
    for sp in (fp, cal, pur):
        sp.add_argument("--checkpoint", required=True)
        sp.add_argument("--threads", type=int, default=2)
        sp.add_argument("--channels", type=int, default=1)
        sp.add_argument("--size", type=int, default=28)
        sp.add_argument("--warmup", type=int, default=1)
        sp.add_argument("--reps", type=int, default=5)
    fp.add_argument("--batch", type=int, default=128)
    fp.add_argument("--iters", type=int, default=1)
    fp.add_argument("--label", default="fp")
    cal.add_argument("--data", required=True)
    cal.add_argument("--batches", type=int, default=32)
    cal.add_argument("--cali-batch", type=int, default=32)
    cal.add_argument("--eval-batch", type=int, default=128)
    cal.add_argument("--eval-iters", type=int, default=10)
    cal.add_argument("--qparams-out")
    pur.add_argument("--max-count", type=int, default=200)
    pur.add_argument("--pda-count", type=int, default=100)
    pur.add_argument("--batches", type=int, default=32)
    pur.add_argument("--cali-batch", type=int, default=32)
    pur.add_argument("--seed", type=int, default=1005)
    pur.add_argument("--target", type=int, default=0)
    pur.add_argument("--out")
    a = p.parse_args()
    if hasattr(a, "threads"):
        torch.set_num_threads(a.threads)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass
        print(f"# torch harness: threads={torch.get_num_threads()} torch={torch.__version__}", flush=True)
    {"make-checkpoint": make_checkpoint, "make-data": make_data, "fp-throughput": fp_throughput,
     "calibration": calibration, "purify": purify}[a.cmd](a)


if __name__ == "__main__":
    main()
