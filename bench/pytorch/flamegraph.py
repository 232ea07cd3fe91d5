"""Flame graph, drawn as an icicle (root on top; self-contained SVG), from `jfr print --stack-depth 64 --events
jdk.ExecutionSample,jdk.NativeMethodSample REC.jfr` on stdin. Native time inside libtorch shows as
the JNI frame that called it (PyTorchLibrary.torch*). Also writes the collapsed stacks
(`frame;frame;... count`, Brendan Gregg's format) next to the SVG.

  jfr print --stack-depth 64 --events jdk.ExecutionSample,jdk.NativeMethodSample run.jfr \
    | python bench/pytorch/flamegraph.py --out purify-small.svg --title "lac4j purify small"
"""
import argparse
import html
import re
import sys
import zlib
from collections import Counter

FRAME = re.compile(r"^([\w$.<>]+)\(.*\)\s+line:")


def stacks(lines):
    out = Counter()
    stack = None
    for line in lines:
        s = line.strip()
        if s.startswith("stackTrace = ["):
            stack = []
        elif stack is not None and FRAME.match(s):
            stack.append(short(FRAME.match(s).group(1)))
        elif s == "]" and stack is not None:
            if stack:
                out[";".join(reversed(stack))] += 1
            stack = None
    return out


def short(frame):
    # io.lac4j.ptq.Pda.correctAll -> ptq.Pda.correctAll; ai.djl.pytorch.jni.PyTorchLibrary.torchMul -> PyTorchLibrary.torchMul
    parts = frame.split(".")
    if frame.startswith("io.lac4j."):
        return ".".join(parts[2:])
    return ".".join(parts[-2:])


def tree(collapsed):
    root = {"name": "all", "value": 0, "children": {}}
    for path, n in collapsed.items():
        root["value"] += n
        node = root
        for f in path.split(";"):
            node = node["children"].setdefault(f, {"name": f, "value": 0, "children": {}})
            node["value"] += n
    return root


def color(name):
    h = zlib.crc32(name.encode())
    if name.startswith("PyTorchLibrary."):
        return f"rgb(230,{120 + h % 60},{40 + h % 40})"      # native libtorch: orange
    if "." in name and name.split(".")[0] in ("ptq", "quant", "nn", "pipeline", "eval", "data", "models", "io", "engine", "cli", "optim"):
        return f"rgb({60 + h % 50},{150 + h % 60},{200 + h % 40})"  # lac4j: blue
    return f"rgb(200,{200 + h % 40},{80 + h % 60})"          # JDK / DJL: yellow


def render(root, title, width=1600, row=17):
    depth = [0]

    def measure(node, d):
        depth[0] = max(depth[0], d)
        for c in node["children"].values():
            measure(c, d + 1)
    measure(root, 0)
    height = (depth[0] + 1) * row + 60
    total = root["value"]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="11">',
           f'<text x="10" y="20" font-size="15">{html.escape(title)} — {total} samples (icicle: callers above callees; width = share of samples; hover for names)</text>']

    def draw(node, x, d):
        w = node["value"] / total * (width - 20)
        if w < 0.3:
            return
        y = 30 + d * row                      # icicle: root on top, callees below
        pct = 100.0 * node["value"] / total
        label = f'{node["name"]} ({node["value"]} samples, {pct:.1f}%)'
        out.append(f'<g><title>{html.escape(label)}</title><rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" '
                   f'fill="{color(node["name"])}" rx="2"/>')
        chars = int(w / 7)
        if chars > 3:
            text = node["name"] if len(node["name"]) <= chars else node["name"][:chars - 2] + ".."
            out.append(f'<text x="{x + 3:.1f}" y="{y + row - 5}">{html.escape(text)}</text>')
        out.append("</g>")
        cx = x
        for c in sorted(node["children"].values(), key=lambda c: c["name"]):
            draw(c, cx, d + 1)
            cx += c["value"] / total * (width - 20)
    draw(root, 10, 0)
    out.append("</svg>")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--title", default="lac4j")
    a = ap.parse_args()
    collapsed = stacks(sys.stdin)
    if not collapsed:
        sys.exit("flamegraph: no stack samples on stdin")
    with open(a.out.rsplit(".", 1)[0] + ".collapsed", "w") as f:
        for k, v in sorted(collapsed.items()):
            f.write(f"{k} {v}\n")
    with open(a.out, "w") as f:
        f.write(render(tree(collapsed), a.title))
    print(f"flame graph: {a.out} ({sum(collapsed.values())} samples)")


if __name__ == "__main__":
    main()
