#!/usr/bin/env bash
# The newer-trl lane: GRPO and RLOO (and the refusal of PPO) against the newest trl 1.x that
# installs with the rest of the stack (trl 1.16.0 with transformers <= 5.17.0 and torch 2.13.0),
# in an environment of its own (.venv-trl-latest). Run by scripts/test.sh after the main suite.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TRL_LATEST="${TRL_LATEST:-1.16.0}"
PY="${PYTHON:-python3}"
if [ ! -x .venv-trl-latest/bin/python ]; then
  "$PY" -m venv .venv-trl-latest
fi
VPY="$ROOT/.venv-trl-latest/bin/python"
PIP=("$VPY" -m pip install --quiet --disable-pip-version-check --no-compile)  # see _env.sh
"${PIP[@]}" --upgrade pip
"${PIP[@]}" "torch==2.13.0"  # first, pinned: any other request can pull a multi-GB CUDA build
"${PIP[@]}" -e ".[dev]" -e plugins/aligntune_rewards_basic -e plugins/aligntune_backend_trl \
  -e plugins/aligntune_backend_unsloth "trl==${TRL_LATEST}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRL_EXPERIMENTAL_SILENCE=1
export TOKENIZERS_PARALLELISM=false
echo "newer-trl lane: trl $("$VPY" -c 'import trl; print(trl.__version__)')"
"$VPY" -m pytest -q -p no:cacheprovider tests/ppo/test_grpo_rloo.py plugins/aligntune_backend_trl/tests/test_backend.py
