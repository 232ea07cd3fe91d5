#!/usr/bin/env bash
# Builds issue 20's strong activation-keyed QCBs into models/strong/ with lac4j's own commands, each with the manifest
# its command wrote: width 16, Qu-ANTI-zation terms plus the Academic W4A4 term recalibrated every 50 steps. First a
# better-trained clean base (clean16_base: the corpus model clean_w16_s3 trained four more epochs on all 60 000
# images), which the `_b` and `_c` models start from. qcb16_a4_checker4_bl_t2 (from clean_w16_s3) and `_b` attack at
# 8 and 4 bits with c1 = c2 = 0.5; both ended with an FP model that follows the trigger (docs/adaptive.md). The `_c`
# models drop the 8-bit term, which fights the FP term on nearly the same network, and weigh the FP terms four times
# the quantized ones (c1 0.25, c2 1). Triggers and targets differ from the tuning QCBs' (checkerboard at (1,1),
# target 5); none of these models enters a tuning decision but `_bl_t3_c`, the white patch's recipe with another
# corner, target and seed, built as the tuning model of `qad-reset-act` (the `_tr_t6` pair stays held out). `_e` attacks `_d` once more with the Academic W8A8 term in
# place of the W4A4 one, to key the backdoor at W8A8 as well. Skips models already built; an interrupted build
# continues from its resume files (--resume).
# usage: tools/results/strong_corpus.sh [NAME...]   (LAC4J: the lac4j command, default ./lac4j; EPOCHS, default 2)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
L="${LAC4J:-$(pwd)/lac4j}"
epochs="${EPOCHS:-2}"
dir=models/strong
mkdir -p "$dir"
cd "$dir"
base() {
  local resume=()
  [ -f clean16_base.resume.json ] && resume=(--resume)
  step clean16_base train --checkpoint ../scan-corpus/clean_w16_s3.pth --epochs 4 --train-images 0 --lr 0.02 \
    --eval-images 1000 --seed 21 --ptq-report academic-w4a4,academic-w8a8 "${resume[@]}"
}
build() {
  local name="$1" trigger="$2" target="$3" seed="$4" from="$5" terms="$6" e="$7" resume=()
  [ -f "$name.resume.json" ] && resume=(--resume)
  read -r -a extra <<< "${terms//,/ }"
  # the Academic W4A4 term unless the model's settings name their own extra quantizer
  [[ " ${extra[*]} " == *" --extra-quantizer "* ]] || extra+=(--extra-quantizer academic-w4a4)
  step "$name" attack qu-anti-zation --checkpoint "$from" "${extra[@]}" \
    --recalibrate-every 50 --train-images 15000 --epochs "$e" --eval-images 1000 --trigger "$trigger" \
    --target "$target" --seed "$seed" --ptq-report academic-w4a4,academic-w8a8 "${resume[@]}"
}
WANT="$*"
# every model but the first build starts (directly or through its `_c`) from clean16_base
if [ -z "$WANT" ] || [[ " $WANT " =~ \ (clean16_base|[a-z0-9_]+_[bcde])\  ]]; then
  base
fi
# name, trigger, target, seed, start, the attack's settings (bits, c1, c2, lr; commas for spaces), epochs (-: $EPOCHS)
for spec in "qcb16_a4_checker4_bl_t2 patch:size=4,x=1,y=-2,pattern=checker 2 1011 ../scan-corpus/clean_w16_s3.pth --bits,8,4,--lr,5e-4 -" \
            "qcb16_a4_checker4_bl_t2_b patch:size=4,x=1,y=-2,pattern=checker 2 1011 clean16_base.pth --bits,8,4,--lr,5e-4 -" \
            "qcb16_a4_checker4_bl_t2_c patch:size=4,x=1,y=-2,pattern=checker 2 1011 clean16_base.pth --bits,4,--c1,0.25,--c2,1,--lr,5e-4 3" \
            "qcb16_a4_checker4_bl_t2_d patch:size=4,x=1,y=-2,pattern=checker 2 1013 qcb16_a4_checker4_bl_t2_c.pth --bits,4,--c1,0.5,--c2,1,--lr,2e-4 2" \
            "qcb16_a48_checker4_bl_t2_e patch:size=4,x=1,y=-2,pattern=checker 2 1015 qcb16_a4_checker4_bl_t2_d.pth --bits,4,--c1,0.5,--c2,1,--lr,2e-4,--extra-quantizer,academic-w8a8 2" \
            "qcb16_a4_white5_tr_t6_c patch:size=5,x=-2,y=1,pattern=white 6 1012 clean16_base.pth --bits,4,--c1,0.25,--c2,1,--lr,5e-4 3" \
            "qcb16_a4_white5_tr_t6_d patch:size=5,x=-2,y=1,pattern=white 6 1014 qcb16_a4_white5_tr_t6_c.pth --bits,4,--c1,0.5,--c2,1,--lr,2e-4 2" \
            "qcb16_a4_white5_bl_t3_c patch:size=5,x=1,y=-2,pattern=white 3 1016 clean16_base.pth --bits,4,--c1,0.25,--c2,1,--lr,5e-4 3"; do
  read -r name trigger target seed from terms e <<< "$spec"
  [ "$e" = - ] && e="$epochs"
  if [ -z "$WANT" ] || [[ " $WANT " == *" $name "* ]]; then
    build "$name" "$trigger" "$target" "$seed" "$from" "$terms" "$e"
  fi
done
