#!/usr/bin/env bash
# `pnpm verify`: every check before a release, in order, each one timed. Stops at the first
# failing step and exits with its exit code.
#
#   bash scripts/verify.sh                      # all steps
#   bash scripts/verify.sh lint check-exports   # only these (each is a root package.json script)
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# turbo's first-run telemetry notice; the documented opt-out, for these runs only.
export TURBO_TELEMETRY_DISABLED=1

ALL_STEPS=(lint typecheck api-docs test changeset:check 'release --dry-run' 'size --check' 'bench --quick' tour:check)
if [[ $# -gt 0 ]]; then steps=("$@"); else steps=("${ALL_STEPS[@]}"); fi

# 75 → "1 min 15 s", 9 → "9 s"
duration() {
  local s=$1
  if ((s >= 60)); then echo "$((s / 60)) min $((s % 60)) s"; else echo "$s s"; fi
}

summary=()
print_summary() { ((${#summary[@]} == 0)) || printf '%s\n' "${summary[@]}"; }
started=$SECONDS
for step in "${steps[@]}"; do
  echo "verify: ▶ $step"
  step_started=$SECONDS
  # shellcheck disable=SC2086 # a step is a script name and its arguments
  pnpm $step
  code=$?
  took=$(duration $((SECONDS - step_started)))
  if ((code != 0)); then
    echo "verify: ✗ $step failed (exit code $code) after $took"
    print_summary
    echo "verify: failed at $step after $(duration $((SECONDS - started)))"
    exit "$code"
  fi
  line="verify: ✓ $step $took"
  summary+=("$line")
  echo "$line"
done
print_summary
echo "verify: $(duration $((SECONDS - started)))"
