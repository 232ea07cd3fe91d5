"""Plain-PyTorch port of the reference LAC(+PDA) pipeline, written from ../../shared/spec/LAC.md.

It is lac4j's yardstick: conformance fixtures (tools/fixtures) and the speed benchmark (bench/)
run it side by side with lac4j. It follows the reference's structure on purpose (torch.fx trace,
whole-model forwards with a stop exception for caching, one batch per PDA loop), because it is
what the reference costs on a CPU.

Sections map to LAC.md: §6 quantization (prepare, observers, fake quantizers), §7 calibration,
§8 reconstruction (units, caching, α optimisation, hardening), §9 PDA, §10 evaluation.
"""
import math
import time

import numpy as np
import torch
import torch.fx as fx
import torch.nn as nn
import torch.nn.functional as F

F32_EPS = float(torch.finfo(torch.float32).eps)


# ----------------------------------------------------------------------------------------------
# §6.3 qparams and §6.6 fixed fake quantization

def qrange(bits, symmetric):
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if symmetric else (0, (1 << bits) - 1)


def calc_qparams(mn, mx, qmin, qmax, symmetric):
    """PyTorch 1.10 _calculate_qparams in float32; mn/mx are float32 tensors (scalar or [C])."""
    mn = torch.minimum(mn, torch.zeros_like(mn))
    mx = torch.maximum(mx, torch.zeros_like(mx))
    if symmetric:
        scale = torch.maximum(-mn, mx) / ((qmax - qmin) / 2)
        scale = torch.clamp(scale, min=F32_EPS)
        zp = torch.zeros_like(scale, dtype=torch.int64)
    else:
        scale = (mx - mn) / float(qmax - qmin)
        scale = torch.clamp(scale, min=F32_EPS)
        zp = qmin - torch.round(mn / scale).to(torch.int64)
        zp = torch.clamp(zp, qmin, qmax)
    return scale.float(), zp


def fq_per_tensor(x, scale, zp, qmin, qmax):
    return torch.fake_quantize_per_tensor_affine(x, float(scale), int(zp), qmin, qmax)


def fq_per_channel(x, scale, zp, qmin, qmax, axis=0):
    return torch.fake_quantize_per_channel_affine(x, scale, zp.to(torch.int32), axis, qmin, qmax)


# ----------------------------------------------------------------------------------------------
# §6.4 observers

def mse_search(x, mn0, mx0, qmin, qmax, symmetric, per_channel):
    """Returns the best (mn, mx) of the shrinking-range search (95 per-tensor / 80 per-channel)."""
    n = 80 if per_channel else 95
    if per_channel:
        best = torch.full_like(mn0, 1e10)
        best_mn, best_mx = mn0.clone(), mx0.clone()
        xs = x.reshape(x.shape[0], -1)
        for i in range(n):
            f = torch.tensor(1.0 - 0.01 * i, dtype=torch.float32)
            mn, mx = mn0 * f, mx0 * f
            s, z = calc_qparams(mn, mx, qmin, qmax, symmetric)
            xq = fq_per_channel(x, s, z, qmin, qmax)
            score = (xq - x).abs().pow(2.0).reshape(x.shape[0], -1).mean(1)
            better = score < best
            best = torch.where(better, score, best)
            best_mn = torch.where(better, mn, best_mn)
            best_mx = torch.where(better, mx, best_mx)
        del xs
        return best_mn, best_mx
    best = 1e10
    best_mn, best_mx = mn0, mx0
    for i in range(n):
        f = torch.tensor(1.0 - 0.01 * i, dtype=torch.float32)
        mn, mx = mn0 * f, mx0 * f
        s, z = calc_qparams(mn, mx, qmin, qmax, symmetric)
        xq = fq_per_tensor(x, s, z, qmin, qmax)
        score = (xq - x).abs().pow(2.0).mean().item()
        if score < best:
            best, best_mn, best_mx = score, mn, mx
    return best_mn, best_mx


class Observer:
    def __init__(self, kind, qmin, qmax, symmetric, per_channel):
        self.kind, self.qmin, self.qmax = kind, qmin, qmax
        self.symmetric, self.per_channel = symmetric, per_channel
        self.min_val = None
        self.max_val = None

    def observe(self, x):
        x = x.detach().float()
        if self.per_channel:
            flat = x.reshape(x.shape[0], -1)
            mn0, mx0 = flat.min(1).values, flat.max(1).values
        else:
            mn0, mx0 = x.min(), x.max()
        if self.kind in ("mse", "ema_mse"):
            mn, mx = mse_search(x, mn0, mx0, self.qmin, self.qmax, self.symmetric, self.per_channel)
        else:
            mn, mx = mn0, mx0
        if self.min_val is None:
            self.min_val, self.max_val = mn, mx
        elif self.kind in ("ema_mse", "ema_minmax"):
            self.min_val = 0.9 * self.min_val + 0.1 * mn
            self.max_val = 0.9 * self.max_val + 0.1 * mx
        else:
            self.min_val = torch.minimum(self.min_val, mn)
            self.max_val = torch.maximum(self.max_val, mx)

    def qparams(self):
        if self.min_val is None:
            return torch.tensor(1.0), torch.tensor(0)
        return calc_qparams(self.min_val, self.max_val, self.qmin, self.qmax, self.symmetric)


# ----------------------------------------------------------------------------------------------
# §6.5–6.7 fake quantizers

class ActFakeQuant(nn.Module):
    """FixedFakeQuantize: per-tensor, scale/zero point are buffers (no gradient)."""

    def __init__(self, bits, symmetric=False, observer="ema_mse"):
        super().__init__()
        self.bits = bits
        self.qmin, self.qmax = qrange(bits, symmetric)
        self.obs = Observer(observer, self.qmin, self.qmax, symmetric, False)
        self.observe, self.quant = False, False
        self.register_buffer("scale", torch.tensor(1.0))
        self.register_buffer("zero_point", torch.tensor(0))

    def forward(self, x):
        if self.observe:
            self.obs.observe(x)
            s, z = self.obs.qparams()
            self.scale.copy_(s)
            self.zero_point.copy_(z)
        if self.quant:
            return fq_per_tensor(x, self.scale.item(), self.zero_point.item(), self.qmin, self.qmax)
        return x


class WeightFakeQuant(nn.Module):
    """The fork's AdaRoundFakeQuantize: plain per-channel FQ, or LAC's additive offset α."""

    def __init__(self, bits, symmetric=False, observer="mse"):
        super().__init__()
        self.bits = bits
        self.qmin, self.qmax = qrange(bits, symmetric)
        self.obs = Observer(observer, self.qmin, self.qmax, symmetric, True)
        self.observe, self.quant = False, False
        self.scale = None
        self.zero_point = None
        self.alpha = None

    def forward(self, w):
        if self.observe:
            self.obs.observe(w)
            self.scale, self.zero_point = self.obs.qparams()
        if not self.quant:
            return w
        if self.alpha is None:
            return fq_per_channel(w, self.scale, self.zero_point, self.qmin, self.qmax)
        shape = [-1] + [1] * (w.dim() - 1)
        s = self.scale.reshape(shape)
        z = self.zero_point.reshape(shape).float()
        v = (w + self.alpha) / s
        q = torch.floor(v + 0.5)
        q = (q - v).detach() + v                   # STE through round-half-up
        q = torch.clamp(q + z, self.qmin, self.qmax)
        return (q - z) * s

    def hard_value(self, w):
        shape = [-1] + [1] * (w.dim() - 1)
        s = self.scale.reshape(shape)
        z = self.zero_point.reshape(shape).float()
        q = torch.clamp(torch.round((w + self.alpha) / s) + z, self.qmin, self.qmax)
        return (q - z) * s


class QConv2d(nn.Conv2d):
    def forward(self, x):
        return self._conv_forward(x, self.weight_fake_quant(self.weight), self.bias)


class QLinear(nn.Linear):
    def forward(self, x):
        return F.linear(x, self.weight_fake_quant(self.weight), self.bias)


def _to_qat(mod, bits, symmetric, w_observer):
    if isinstance(mod, nn.Conv2d):
        q = QConv2d(mod.in_channels, mod.out_channels, mod.kernel_size, mod.stride, mod.padding,
                    mod.dilation, mod.groups, mod.bias is not None)
    else:
        q = QLinear(mod.in_features, mod.out_features, mod.bias is not None)
    q.load_state_dict(mod.state_dict())
    q.weight_fake_quant = WeightFakeQuant(bits, symmetric, w_observer)
    return q


def _set_module(root, target, mod):
    parts = target.split(".")
    parent = root
    for p in parts[:-1]:
        parent = getattr(parent, p)
    setattr(parent, parts[-1], mod)


def prepare(model, wbits=4, abits=4, symmetric=False, w_observer="mse", a_observer="ema_mse"):
    """§6.1: weight FQ on every conv/linear, one act FQ per node feeding a conv/linear (all
    consumers rewired), io layers and the activations feeding them at 8 bit, BN unfolded."""
    gm = fx.symbolic_trace(model)
    modules = dict(gm.named_modules())
    output_node = [n for n in gm.graph.nodes if n.op == "output"][0]
    last = output_node.args[0]
    qnodes = [n for n in gm.graph.nodes
              if n.op == "call_module" and isinstance(modules[n.target], (nn.Conv2d, nn.Linear))]
    io_nodes = {n for n in qnodes if any(a.op == "placeholder" for a in n.all_input_nodes)} | {last}
    for n in qnodes:
        bits = 8 if n in io_nodes else wbits
        _set_module(gm, n.target, _to_qat(modules[n.target], bits, symmetric, w_observer))
    done = {}
    for n in list(gm.graph.nodes):
        if n not in qnodes:
            continue
        src = n.args[0]
        if src in done or src in done.values():   # one shared quantizer per producer
            continue
        bits = 8 if n in io_nodes else abits
        name = (src.name + "_post_act_fake_quantizer")
        gm.add_submodule(name, ActFakeQuant(bits, symmetric, a_observer))
        with gm.graph.inserting_after(src):
            qn = gm.graph.call_module(name, (src,))
        src.replace_all_uses_with(qn, delete_user_cb=lambda u: u is not qn)
        done[src] = qn
    gm.graph.lint()
    gm.recompile()
    return gm


def quantizers(gm):
    return [(n, m) for n, m in gm.named_modules() if isinstance(m, (ActFakeQuant, WeightFakeQuant))]


def set_state(gm, act=None, weight=None):
    """act/weight: (observe, quant) tuples, None leaves that kind unchanged."""
    for _, m in quantizers(gm):
        st = act if isinstance(m, ActFakeQuant) else weight
        if st is not None:
            m.observe, m.quant = st


def calibrate(gm, cali_act, cali_w_batch):
    """§7: activation observers over the calibration batches (all fake quant off), then weight
    observers once."""
    gm.eval()
    with torch.no_grad():
        set_state(gm, act=(True, False), weight=(False, False))
        for x in cali_act:
            gm(x)
        set_state(gm, act=(False, False), weight=(True, False))
        gm(cali_w_batch)
    set_state(gm, act=(False, True), weight=(False, True))


# ----------------------------------------------------------------------------------------------
# §8 LAC reconstruction

class _Stop(Exception):
    pass


def _is_qmod(gm, n):
    return n.op == "call_module" and isinstance(gm.get_submodule(n.target), (nn.Conv2d, nn.Linear))


def extract_units(gm):
    """§8.2 'layer' pattern: list of (external input node, [unit nodes])."""
    units, done = [], set()
    for n0 in gm.graph.nodes:
        if not _is_qmod(gm, n0) or n0 in done:
            continue
        chain, n = [n0], n0
        while True:
            users = list(n.users)
            if not users:
                break
            if any(_is_qmod(gm, u) or u.op == "output" or
                   (u.op in ("call_function", "call_method") and "add" in u.name) for u in users):
                break
            n = users[0]
            chain.append(n)
        ext = [a for c in chain for a in c.all_input_nodes if a not in chain]
        assert len(ext) == 1, (n0.name, ext)
        units.append((ext[0], chain))
        done.update(chain)
    return units


def _sub_module(gm, ext, chain):
    g = fx.Graph()
    env = {ext: g.placeholder("inp")}
    for n in chain:
        env[n] = g.node_copy(n, lambda a: env[a])
    g.output(env[chain[-1]])
    return fx.GraphModule(gm, g)


def _capture(gm, node, x):
    """Whole-model forward stopped right after `node` (the reference's StopForwardException)."""
    out = {}
    interp = fx.Interpreter(gm)
    orig = interp.run_node

    def run_node(n):
        r = orig(n)
        if n is node:
            out["v"] = r
            raise _Stop()
        return r

    interp.run_node = run_node
    try:
        interp.run(x)
    except _Stop:
        pass
    return out["v"]


def lp_loss(pred, tgt):
    return (pred - tgt).abs().pow(2.0).sum(1).mean()


def pda(unit, cached, count=500, alpha=1e-3, eps=1e-3):
    """§9: per batch, sign-gradient steps on the BN-input statistic loss inside an L-inf ball."""
    bns = [m for m in unit.modules() if isinstance(m, nn.BatchNorm2d)]
    if not bns:
        return cached
    out = []
    for x0 in cached:
        feats = []
        hooks = [bn.register_forward_hook(lambda m, i, o: feats.append(i[0])) for bn in bns]
        x = x0.clone()
        a = alpha
        for t in range(count):
            feats.clear()
            x = x.detach().requires_grad_(True)
            unit(x)
            loss = 0.0
            for bn, f in zip(bns, feats):
                mean = f.mean(dim=(2, 3))
                std = torch.sqrt(f.var(dim=(2, 3), unbiased=True) + 1e-6)
                rm = bn.running_mean.unsqueeze(0)
                rs = torch.sqrt(bn.running_var + 1e-6).unsqueeze(0)
                loss = loss + (((rm - mean) ** 2).sum() + ((rs - std) ** 2).sum()) / f.shape[0]
            g, = torch.autograd.grad(loss, x)
            if t in (250, 500, 1000, 2000, 3000, 4000):
                a = a / 2
            x = x0 + torch.clamp(x.detach() - a * torch.sign(g) - x0, -eps, eps)
        for h in hooks:
            h.remove()
        out.append(x.detach())
    return out


def reconstruct(gm, cali, max_count=10000, use_pda=False, pda_count=500, pda_alpha=1e-3,
                pda_eps=1e-3, timings=None, log=print):
    """§8.1–8.5: returns the purified quantized model (a deep copy of gm)."""
    import copy
    timings = timings if timings is not None else {}
    fp = gm
    qm = copy.deepcopy(gm)
    set_state(fp, act=(False, False), weight=(False, False))
    set_state(qm, act=(False, True), weight=(False, True))
    fp_nodes = {n.name: n for n in fp.graph.nodes}
    for ext, chain in extract_units(qm):
        t0 = time.time()
        with torch.no_grad():
            xs = [_capture(qm, ext, x).detach() for x in cali]
            ys = [_capture(fp, fp_nodes[chain[-1].name], x).detach() for x in cali]
        timings["cache"] = timings.get("cache", 0) + time.time() - t0
        unit = _sub_module(qm, ext, chain)
        if use_pda:
            t0 = time.time()
            xs = pda(unit, xs, pda_count, pda_alpha, pda_eps)
            timings["pda"] = timings.get("pda", 0) + time.time() - t0
        t0 = time.time()
        wq_mods = [qm.get_submodule(n.target) for n in chain if _is_qmod(qm, n)]
        params = []
        for m in wq_mods:
            m.weight_fake_quant.alpha = nn.Parameter(torch.zeros_like(m.weight))
            params.append(m.weight_fake_quant.alpha)
        opt = torch.optim.Adam(params, lr=1e-3)
        for i in range(max_count):
            k = np.random.randint(0, len(xs))
            loss = lp_loss(unit(xs[k]), ys[k])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if (i + 1) % 500 == 0 and log:
                log(f"{chain[0].name}\tTotal loss:\t{loss.item():.3f}\tcount={i + 1}")
        with torch.no_grad():
            for m in wq_mods:
                m.weight.copy_(m.weight_fake_quant.hard_value(m.weight))
                m.weight_fake_quant.alpha = None
        timings["reconstruction"] = timings.get("reconstruction", 0) + time.time() - t0
    set_state(qm, act=(False, True), weight=(False, True))
    return qm


# ----------------------------------------------------------------------------------------------
# §10 evaluation

def accuracy(model, x, y, bs=128):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), bs):
            correct += (model(x[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item()
    return 100.0 * correct / len(x)


def seed_all(seed):
    import random
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def now():
    return time.time()


__all__ = ["prepare", "calibrate", "reconstruct", "pda", "extract_units", "accuracy", "seed_all",
           "calc_qparams", "mse_search", "Observer", "ActFakeQuant", "WeightFakeQuant", "math"]
