# Shared by the tools/results scripts (sourced, not run).

# started WHAT...: logs a job's start with the UTC time and the load average (every figure states its load).
started() {
  echo "# $* ($(date -u +%FT%TZ), load:$(uptime | sed 's/.*load average://'))"
}

# step NAME COMMAND...: builds model NAME.pth (and its manifest NAME.json) with `$L COMMAND... --out NAME.pth -q`
# in the current folder unless both exist, then drops the run's resume files.
step() {
  local name="$1"; shift
  if [ -f "$name.pth" ] && [ -f "$name.json" ]; then echo "# $name: built"; return 0; fi
  started "$name"
  "$L" "$@" --out "$name.pth" -q
  rm -f "$name.resume.pth" "$name.resume.json" "$name.stage1.resume.pth" "$name.stage1.resume.json"
}
