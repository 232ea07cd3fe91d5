#!/usr/bin/env bash
# Range sweeps and requantization checks of defended models: one `lac4j defend DEF --range-sweep F...` per model of
# DIR/models.tsv (name, checkpoint, trigger, target, bits), defense (DEFENSES, default qad,lac+pda) and seed (SEEDS,
# default 1005 1006 1007), max_count 500 (MAX_COUNT), factors FACTORS (default 0.9,0.95,1.05,1.1; FACTORS=none: no
# sweep), plus --requantize-check when REQUANTIZE=1, and EXTRA_ARGS (e.g. "--cali-batches 64"), all test images, into
# DIR/<name>-<def>-<seed>.json.
# Skips runs whose JSON exists; logs the load average with each start, and each failure with its last lines, to
# DIR/runs.log; a failure does not stop the batch.
# usage: tools/results/range_sweep_runs.sh DIR   (LAC4J: the lac4j command, default ./lac4j)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
d="${1:?usage: range_sweep_runs.sh DIR}"
L="${LAC4J:-./lac4j}"
mc="${MAX_COUNT:-500}"
factors="${FACTORS:-0.9,0.95,1.05,1.1}"
checks=()
[ "$factors" != none ] && checks+=(--range-sweep "$factors")
[ "${REQUANTIZE:-0}" = 1 ] && checks+=(--requantize-check)
read -r -a extra <<< "${EXTRA_ARGS:-}"
seeds="${SEEDS:-1005 1006 1007}"
IFS=, read -r -a defs <<< "${DEFENSES:-qad,lac+pda}"
grep -v '^#' "$d/models.tsv" | while IFS=$'\t' read -r name model trigger target bits; do
  [ -z "$name" ] && continue
  for def in "${defs[@]}"; do
    for seed in $seeds; do
      json="$d/$name-${def//+/}-$seed.json"
      [ -f "$json" ] && continue
      started "$name $def seed $seed" | tee -a "$d/runs.log"
      tmp="$(mktemp -d)"
      # a failed run is logged and the batch goes on; its JSON stays missing, so a rerun retries it
      if $L defend "$def" --checkpoint "$model" --trigger "$trigger" --target "$target" --bits "$bits" --seed "$seed" \
        --max-count "$mc" "${checks[@]}" "${extra[@]}" -q --output-dir "$tmp/run" --json "$tmp/r.json" </dev/null \
        > "$tmp/out" 2>&1; then
        tail -8 "$tmp/out"
        mv "$tmp/r.json" "$json"
      else
        echo "# FAILED (exit $?): $name $def seed $seed: $(tail -3 "$tmp/out" | tr '\n' ' ')" | tee -a "$d/runs.log"
      fi
      rm -rf "$tmp"
    done
  done
done
