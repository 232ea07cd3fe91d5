#!/usr/bin/env bash
# Scans models with extra `lac4j scan` options, one JSON per model and variant (DIR/<name>-<variant>.json), for
# comparing refinement settings; a variant already scanned is skipped. Lines of the runs' stdout go to DIR/runs.log.
# usage: tools/results/scan_variant_runs.sh DIR VARIANT 'OPTIONS' NAME...   (NAME: a key of DIR/corpus.json;
#        LAC4J: the lac4j command, default ./lac4j; SEED: the scan's seed, default 1005)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
d="${1:?usage: scan_variant_runs.sh DIR VARIANT OPTIONS NAME...}"; variant="${2:?variant}"; opts="${3?options}"; shift 3
L="${LAC4J:-./lac4j}"
for name in "$@"; do
  read -r model dep < <(python3 - "$d/corpus.json" "$name" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))[sys.argv[2]]
print(c['model'], c['deployment'].split()[0])
PY
)
  out="$d/$name-$variant"
  [ -f "$out.json" ] && continue
  started "$name scan $opts" | tee -a "$d/runs.log"
  # shellcheck disable=SC2086
  $L scan --checkpoint "$model" --deployment "$dep" --bits 4 --seed "${SEED:-1005}" $opts --output-dir "$out" --json "$out.json" \
    | grep -v '^results:' | tee -a "$d/runs.log" | tail -2
  mv "$out"/scan_trigger_class*.png "$out.png" 2>/dev/null || true
  rm -rf "${out:?}"
done
