"""Summarises `jfr print --stack-depth 64 --events jdk.ExecutionSample,jdk.NativeMethodSample REC.jfr` (stdin): the top frames (self) and
the top lac4j frames anywhere on the stack (inclusive), as % of samples. Native time inside libtorch
appears under the JNI frame that called it (e.g. PyTorchLibrary.torchMul)."""
import re
import sys
from collections import Counter


def main():
    top, incl, lac = Counter(), Counter(), Counter()
    n = 0
    stack = None
    for line in sys.stdin:
        s = line.strip()
        if s.startswith("jdk.ExecutionSample") or s.startswith("jdk.NativeMethodSample"):
            stack = []
        elif s.startswith("stackTrace = ["):
            stack = []
        elif stack is not None and re.match(r"^[\w$.<>]+\(.*\)\s+line:", s):
            stack.append(s.split("(")[0])
        elif s == "]" and stack is not None:
            if stack:
                n += 1
                top[stack[0]] += 1
                for f in set(stack):
                    incl[f] += 1
                lacs = [f for f in stack if f.startswith("io.lac4j.")]
                if lacs:
                    lac[lacs[0]] += 1
            stack = None
    if not n:
        print("no samples")
        return
    print(f"{n} execution samples")
    print("top frames (self):")
    for f, c in top.most_common(12):
        print(f"  {100.0 * c / n:5.1f}%  {f}")
    print("innermost lac4j frame:")
    for f, c in lac.most_common(12):
        print(f"  {100.0 * c / n:5.1f}%  {f}")
    print("inclusive (lac4j frames):")
    for f, c in [(f, c) for f, c in incl.most_common(200) if f.startswith("io.lac4j.")][:15]:
        print(f"  {100.0 * c / n:5.1f}%  {f}")


if __name__ == "__main__":
    main()
