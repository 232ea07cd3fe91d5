#!/usr/bin/env bash
# The runs behind docs/deploy.md's ONNX Runtime table: each defends a committed model, writes its
# ONNX export and checks it in ONNX Runtime image by image (results.json onnx_check).
# usage: tools/results/onnx_runs.sh OUT_DIR   (LAC4J: the lac4j command, default ./lac4j)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
out="${1:?usage: onnx_runs.sh OUT_DIR}"
L="${LAC4J:-./lac4j}"
mkdir -p "$out"
run() { # name checkpoint defense deployment bits
  local name="$1" ckpt="$2" defense="$3" dep="$4" bits="$5"
  started "$name: defend $defense $ckpt --deployment $dep --bits $bits"
  $L defend "$defense" --checkpoint "$ckpt" --trigger stage2 --target 0 --deployment "$dep" --bits "$bits" \
    --max-count 2000 --seed 1005 --output-dir "$out/$name" --json "$out/$name.json" -q
}
run demo_naive   models/demo/fmnist_qcb.pth       naive    academic 4
run demo_lacpda  models/demo/fmnist_qcb.pth       lac+pda  academic 4
run a4_naive     models/attacks/quanti_a4.pth     naive    academic 4
run a4_lacact    models/attacks/quanti_a4.pth     lac-act  academic 4
run pq_naive_w8  models/attacks/pqbackdoor_w4.pth naive    fbgemm   8
run pq_lac_w8    models/attacks/pqbackdoor_w4.pth lac      fbgemm   8
run pq_naive_w4  models/attacks/pqbackdoor_w4.pth naive    fbgemm   4
run pq_lac_w4    models/attacks/pqbackdoor_w4.pth lac      fbgemm   4
