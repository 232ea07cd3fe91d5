#!/usr/bin/env bash
# Issue 20's table: one `lac4j compare` per model of DIR/models.tsv (name, checkpoint, trigger, target, bits),
# defenses naive, lac+pda, lac-act, lac-inv (DEFENSES overrides), 3 seeds from 1005, max_count 500 (MAX_COUNT),
# into DIR/compare-<name>/. Skips models whose compare.json exists; logs the load average with each start.
# usage: tools/results/adaptive_runs.sh DIR   (LAC4J: the lac4j command, default ./lac4j)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
d="${1:?usage: adaptive_runs.sh DIR}"
L="${LAC4J:-./lac4j}"
mc="${MAX_COUNT:-500}"
defs="${DEFENSES:-naive,lac+pda,lac-act,lac-inv}"
grep -v '^#' "$d/models.tsv" | while IFS=$'\t' read -r name model trigger target bits; do
  [ -z "$name" ] && continue
  out="$d/compare-$name"
  [ -f "$out/compare.json" ] && continue
  started "$name"
  $L compare --checkpoint "$model" --trigger "$trigger" --target "$target" --defenses "$defs" --bits "$bits" \
    --seeds 3 --seed 1005 --max-count "$mc" -q --output-dir "$out" </dev/null | tail -12
done
