#!/usr/bin/env bash
# Set up a fresh environment and run the whole test suite; then (for a full run, no arguments)
# the newer-trl lane: GRPO/RLOO against the newest trl 1.x, in an environment of its own.
# Arguments go to pytest and run the main suite only (e.g. -m "not slow", the quick lane).
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
"$VPY" -m pytest -q -p no:cacheprovider "$@"
if [ "$#" -eq 0 ]; then
  bash "$ROOT/scripts/test_trl_latest.sh"
fi
