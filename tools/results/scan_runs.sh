#!/usr/bin/env bash
# Scans every model of DIR/corpus.json that has no DIR/<name>.json yet (`lac4j scan` at its defaults,
# the model's own deployment at 4 bits, seed 1005); then `tools/results/scan_table.py DIR`.
# usage: tools/results/scan_runs.sh DIR   (LAC4J: the lac4j command, default ./lac4j)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
d="${1:?usage: scan_runs.sh DIR}"
L="${LAC4J:-./lac4j}"
python3 - "$d/corpus.json" <<'PY' | while read -r name model dep; do
import json, sys
for n, c in json.load(open(sys.argv[1])).items():
    print(n, c['model'], c['deployment'].split()[0])
PY
  [ -f "$d/$name.json" ] && continue
  started "$name"
  $L scan --checkpoint "$model" --deployment "$dep" --bits 4 --seed 1005 -q --output-dir "$d/$name" --json "$d/$name.json" \
    | tail -1
  mv "$d/$name"/scan_trigger_class*.png "$d/$name.png"
  rm -rf "${d:?}/$name"          # the run folder repeats results.json and adds the reports
done
