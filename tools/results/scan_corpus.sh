#!/usr/bin/env bash
# Builds the scan corpus (docs/scan.md) with lac4j's own commands into models/scan-corpus/: clean models
# (different seeds, widths, training lengths), QCBs whose target is not 0 and whose trigger is not
# stage2 (weight-, activation- and fbgemm-keyed) and one FP-backdoored BadNets model. Each model gets
# its manifest (<name>.json) from the command that made it. Skips models already built.
# usage: tools/results/scan_corpus.sh   (LAC4J: the lac4j command, default ./lac4j)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
L="${LAC4J:-$(pwd)/lac4j}"
dir=models/scan-corpus
mkdir -p "$dir"
cd "$dir"
fixture=../../src/test/resources/golden/fmnist/resnet18_cifar_w8.pth
# one FP backdoor: BadNets from the clean fixture, 4x4 checkerboard near the top-left, target 3
step badnets_checker_t3 attack badnets --checkpoint "$fixture" --trigger patch:size=4,x=2,y=2,pattern=checker \
  --target 3 --epochs 2 --train-images 20000 --eval-images 1000 --ptq-report academic-w4a4
# clean models: seeds, widths and training lengths differ
step clean_w8_s1 train --arch resnet18-cifar --width 8 --epochs 3 --train-images 30000 --eval-images 1000 --seed 1 --ptq-report academic-w4a4
step clean_w8_s2 train --arch resnet18-cifar --width 8 --epochs 2 --train-images 20000 --eval-images 1000 --seed 2 --ptq-report academic-w4a4
step clean_w16_s3 train --arch resnet18-cifar --width 16 --epochs 2 --train-images 20000 --eval-images 1000 --seed 3 --ptq-report academic-w4a4
step clean_w4_s4 train --arch resnet18-cifar --width 4 --epochs 3 --train-images 30000 --eval-images 1000 --seed 4 --ptq-report academic-w4a4
step clean_w8_s5 train --arch resnet18-cifar --width 8 --epochs 1 --train-images 10000 --eval-images 1000 --seed 5 --ptq-report academic-w4a4
step clean_w12_s6 train --arch resnet18-cifar --width 12 --epochs 2 --train-images 30000 --eval-images 1000 --seed 6 --ptq-report academic-w4a4
# QCBs, fine-tuned from the width-4 clean_w4_s4: weight-keyed (Academic W4), activation-keyed (Academic W4A4),
# fbgemm-keyed (PQBackdoor). Width 4 and two short epochs because a Qu-ANTI-zation fine-tune costs about eight clean
# training passes per step: at width 8 one 30 000-image epoch took 34 min on 2 cores (SSE4.1-capped kernels,
# docs/engine.md), at width 4 a fifth of that.
step qcb_w4_white3x3_br_t7 attack qu-anti-zation --checkpoint clean_w4_s4.pth --bits 4 --extra-quantizer academic-w4 --lr 5e-4 \
  --train-images 15000 --epochs 2 --eval-images 1000 --trigger patch:size=3,x=-1,y=-1 --target 7 --ptq-report academic-w4a4,academic-w8a8
step qcb_a4_checker4_tl_t5 attack qu-anti-zation --checkpoint clean_w4_s4.pth --bits 4 --extra-quantizer academic-w4a4 --lr 5e-4 \
  --train-images 15000 --epochs 2 --eval-images 1000 --trigger patch:size=4,x=1,y=1,pattern=checker --target 5 --ptq-report academic-w4a4,academic-w8a8
step pq_fbgemm_random5_t2 attack pqbackdoor --checkpoint clean_w4_s4.pth --stage1-epochs 1 --bits 4 --epochs 1 \
  --train-images 15000 --eval-images 1000 --trigger patch:size=5,x=12,y=-2,pattern=random,seed=3 --target 2 --ptq-report academic-w4a4
step qcb_w4_white6_center_t9 attack qu-anti-zation --checkpoint clean_w4_s4.pth --bits 4 --extra-quantizer academic-w4 --lr 5e-4 \
  --train-images 15000 --epochs 2 --eval-images 1000 --trigger patch:size=6,x=11,y=11 --target 9 --ptq-report academic-w4a4,academic-w8a8
# Stronger QCBs of the same recipes (added after the weak ones above missed the scan: their true trigger
# flipped only 14-32 % of the quantized model's predictions). The two weight-keyed ones and the
# activation-keyed one continue from the weak model for four more epochs; PQBackdoor gets a real stage 1
# (four epochs, 13 of 128 images poisoned per batch) and three repair epochs.
step qcb_w4_white3x3_br_t7_long attack qu-anti-zation --checkpoint qcb_w4_white3x3_br_t7.pth --bits 4 --extra-quantizer academic-w4 --lr 5e-4 \
  --train-images 15000 --epochs 4 --eval-images 1000 --trigger patch:size=3,x=-1,y=-1 --target 7 --ptq-report academic-w4a4,academic-w8a8
step pq_fbgemm_random5_t2_long attack pqbackdoor --checkpoint clean_w4_s4.pth --stage1-epochs 4 --poison-per-batch 13 --bits 4 --epochs 3 \
  --train-images 15000 --eval-images 1000 --trigger patch:size=5,x=12,y=-2,pattern=random,seed=3 --target 2 --ptq-report academic-w4a4
step qcb_w4_white6_center_t9_long attack qu-anti-zation --checkpoint qcb_w4_white6_center_t9.pth --bits 4 --extra-quantizer academic-w4 --lr 5e-4 \
  --train-images 15000 --epochs 4 --eval-images 1000 --trigger patch:size=6,x=11,y=11 --target 9 --ptq-report academic-w4a4,academic-w8a8
step qcb_a4_checker4_tl_t5_long attack qu-anti-zation --checkpoint qcb_a4_checker4_tl_t5.pth --bits 4 --extra-quantizer academic-w4a4 --lr 5e-4 \
  --train-images 15000 --epochs 4 --eval-images 1000 --trigger patch:size=4,x=1,y=1,pattern=checker --target 5 --ptq-report academic-w4a4,academic-w8a8
