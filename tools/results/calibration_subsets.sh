#!/usr/bin/env bash
# How far the activation ranges move between calibration subsets: `lac4j quantize --seed S --export` of one checkpoint
# for each seed (each seed draws another 32 x 32 calibration images), all test images, into DIR/s<seed>.json and
# DIR/s<seed>.scales.json (the per-tensor activation scales, read from the export's .int.safetensors by
# calibration_subsets_table.py --extract); logs the load average to DIR/runs.log.
# usage: tools/results/calibration_subsets.sh DIR CHECKPOINT TRIGGER TARGET SEED...   (LAC4J: the lac4j command)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
d="${1:?usage: calibration_subsets.sh DIR CHECKPOINT TRIGGER TARGET SEED...}"
ck="${2:?checkpoint}"; trigger="${3:?trigger}"; target="${4:?target}"; shift 4
L="${LAC4J:-./lac4j}"
mkdir -p "$d"
for seed in "$@"; do
  [ -f "$d/s$seed.json" ] && continue
  started "$ck seed $seed" | tee -a "$d/runs.log"
  tmp="$(mktemp -d)"
  $L quantize --checkpoint "$ck" --trigger "$trigger" --target "$target" --seed "$seed" --drift-images 0 -q \
    --export "$tmp/s$seed.pth" --output-dir "$tmp/run" --json "$tmp/s$seed.json" </dev/null | tail -4
  python3 "$(dirname "${BASH_SOURCE[0]}")/calibration_subsets_table.py" --extract "$tmp/s$seed.int.safetensors" > "$d/s$seed.scales.json"
  mv "$tmp/s$seed.json" "$d/"
  rm -rf "$tmp"
done
