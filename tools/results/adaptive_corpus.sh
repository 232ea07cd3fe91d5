#!/usr/bin/env bash
# Builds issue 20's adaptive QCBs (docs/adaptive.md) with lac4j's own attack command into models/adaptive/,
# each with the manifest its command wrote. Both continue the activation-keyed corpus QCB
# qcb_a4_checker4_tl_t5_long (width 4, 4x4 checkerboard at (1,1), target 5) for three epochs, as an
# attacker who read the README would re-key the backdoor they already have:
#   mg_a4_t5 - multi-grid: the Academic W4A4 term under four activation grids at once (EMA-MSE, MinMax,
#              EMA-MinMax, MSE), so that lac-act's switch to MinMax ranges does not escape it;
#   da_a4_t5 - defense-aware: a short LAC purification simulated every 50 steps and a loss term pair that
#              trains the backdoor into the purified weights.
# Skips models already built. usage: tools/results/adaptive_corpus.sh   (LAC4J: the lac4j command, default ./lac4j)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
L="${LAC4J:-$(pwd)/lac4j}"
dir=models/adaptive
mkdir -p "$dir"
cd "$dir"
from=../scan-corpus/qcb_a4_checker4_tl_t5_long.pth
trigger=patch:size=4,x=1,y=1,pattern=checker
step mg_a4_t5 attack qu-anti-zation --checkpoint "$from" --bits 4 --extra-quantizer academic-w4a4 \
  --activation-grids MinMaxObserver,EMAMinMaxObserver,MSEObserver --lr 5e-4 --train-images 15000 --epochs 3 \
  --eval-images 1000 --trigger "$trigger" --target 5 --ptq-report academic-w4a4,academic-w8a8
step da_a4_t5 attack qu-anti-zation --checkpoint "$from" --bits 4 --extra-quantizer academic-w4a4 \
  --defense-aware --defense-aware-every 50 --lr 5e-4 --train-images 15000 --epochs 3 \
  --eval-images 1000 --trigger "$trigger" --target 5 --ptq-report academic-w4a4,academic-w8a8
