#!/bin/bash
# Overhead ratios of two revisions, measured alternately on this machine: does a change make aligntune slower
# against raw TRL?  bench/ppo_overhead.py and bench/grpo_overhead.py run ROUNDS times for each side, in
# alternating order (B A A B, then A B B A, ...), each side with its own bench files, core and TRL plugin.
# What is not under test is the same on both sides: the rules plugin and the demo's tiny policy (the bench's
# fixture) come from AFTER. Run it alone: every figure is CPU time, but two jobs on two cores still share caches.
#
#   bash bench/compare_revisions.sh BEFORE AFTER [ROUNDS] [OUT]      e.g.  bash bench/compare_revisions.sh c9d6dbb HEAD 3
#
# Prints each ratio per run for both sides and after/before with a 95% bootstrap interval
# (bench/compare_revisions.py); the logs stay in OUT (default: a new temporary directory).
set -uo pipefail
BEFORE=${1:?usage: compare_revisions.sh BEFORE AFTER [ROUNDS] [OUT]}; AFTER=${2:?usage: compare_revisions.sh BEFORE AFTER [ROUNDS] [OUT]}
ROUNDS=${3:-3}; OUT=${4:-$(mktemp -d -t aligntune-compare-XXXX)}
REPO=$(git rev-parse --show-toplevel); PY=${PYTHON:-$REPO/.venv/bin/python}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRL_EXPERIMENTAL_SILENCE=1 TOKENIZERS_PARALLELISM=false
TREES=$(mktemp -d -t aligntune-trees-XXXX); B=$TREES/before; A=$TREES/after
cleanup() { git -C "$REPO" worktree remove --force "$B" >/dev/null 2>&1; git -C "$REPO" worktree remove --force "$A" >/dev/null 2>&1; rm -rf "$TREES"; }
trap cleanup EXIT
git -C "$REPO" worktree add --detach "$B" "$BEFORE" >/dev/null && git -C "$REPO" worktree add --detach "$A" "$AFTER" >/dev/null \
  || { echo "cannot check out $BEFORE and $AFTER" >&2; exit 1; }
cp "$A/aligntune/demo/tiny_policy.py" "$B/aligntune/demo/tiny_policy.py"  # the same fixture policy on both sides
if [ ! -f "$B/aligntune/plugin_api.py" ]; then  # what AFTER's rules plugin imports, from an older core
  printf 'from aligntune.errors import ConfigurationError, show  # noqa: F401\nfrom aligntune.rewards.base import RewardFunction, check_texts  # noqa: F401\n' > "$B/aligntune/plugin_api.py"
fi
path() { echo "$1:$A/plugins/aligntune_rewards_basic:$1/plugins/aligntune_backend_trl:$1/plugins/aligntune_backend_unsloth"; }
mkdir -p "$OUT"; echo "before: $(git -C "$B" log --oneline -1 | cut -c1-72)"; echo "after:  $(git -C "$A" log --oneline -1 | cut -c1-72)"
run() {  # side bench round
  local tree=$B; [ "$1" = after ] && tree=$A
  (cd "$tree" && PYTHONPATH=$(path "$tree") "$PY" "bench/$2.py") > "$OUT/$1-$2-$3.log" 2>&1
  echo "  round $3: $1 $2 exit $?"
}
for n in $(seq 1 "$ROUNDS"); do
  if [ $((n % 2)) = 1 ]; then first=before second=after; else first=after second=before; fi
  run $first grpo_overhead $n; run $second grpo_overhead $n; run $second ppo_overhead $n; run $first ppo_overhead $n
done
"$PY" "$REPO/bench/compare_revisions.py" "$OUT"
echo "logs: $OUT"
