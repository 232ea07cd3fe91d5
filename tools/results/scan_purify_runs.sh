#!/usr/bin/env bash
# For every QCB of DIR/corpus.json ("truth": "qcb", with "trigger", "target" and "defense"): purify it with
# `lac4j defend <defense> --scan` on its own deployment (the trigger-free residual next to the true ASR-no-target),
# then `lac4j scan --run` on the purified model (the whole scan again). Keeps DIR/purified/<name>.json and
# <name>.scan.json, skips models that have both; then `tools/results/scan_purify_table.py DIR`.
# usage: tools/results/scan_purify_runs.sh DIR   (LAC4J: the lac4j command, default ./lac4j; MAX_COUNT, default 500)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
d="${1:?usage: scan_purify_runs.sh DIR}"
L="${LAC4J:-./lac4j}"
mc="${MAX_COUNT:-500}"
out="$d/purified"
mkdir -p "$out"
python3 - "$d/corpus.json" <<'PY' | while read -r name model dep trigger target defense; do
import json, sys
for n, c in json.load(open(sys.argv[1])).items():
    if c['truth'] == 'qcb':
        print(n, c['model'], c['deployment'].split()[0], c['trigger'], c['target'], c['defense'])
PY
  [ -f "$out/$name.json" ] && [ -f "$out/$name.scan.json" ] && continue
  started "$name: $defense"
  run="$out/$name.run"
  rm -rf "$run"
  $L defend "$defense" --checkpoint "$model" --deployment "$dep" --bits 4 --trigger "$trigger" --target "$target" \
    --max-count "$mc" --limit 2000 --scan --seed 1005 -q --output-dir "$run" --json "$out/$name.json" </dev/null | tail -1
  $L scan --checkpoint "$model" --run "$run" --seed 1005 -q --output-dir "$run/scan" --json "$out/$name.scan.json" \
    </dev/null | tail -1
  rm -rf "${run:?}"                # models, ONNX files and reports: large, and made again by the same commands
done
