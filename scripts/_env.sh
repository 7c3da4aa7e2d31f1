# Shared set-up: a virtual environment in .venv with the CPU torch build first,
# then aligntune and its plugins from this checkout. Sourced by the other scripts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
VPY="$ROOT/.venv/bin/python"
"$VPY" -m pip install --quiet --disable-pip-version-check --upgrade pip
# --no-compile: Python compiles each module when it is first imported; compiling every file of every
# package at install time (torch alone: about 30 of its 40 seconds here) is work most modules never need.
# torch first, pinned: any other request can pull a multi-GB CUDA build.
"$VPY" -m pip install --quiet --disable-pip-version-check --no-compile "torch==2.13.0"
# The Unsloth plugin installs with its dependencies like the others: unsloth itself (CUDA only)
# comes through the aligntune[unsloth] extra, which is not asked for here.
"$VPY" -m pip install --quiet --disable-pip-version-check --no-compile \
  -e ".[dev,ppo]" \
  -e plugins/aligntune_rewards_basic \
  $( [ -d plugins/aligntune_backend_trl ] && echo "-e plugins/aligntune_backend_trl" ) \
  $( [ -d plugins/aligntune_backend_unsloth ] && echo "-e plugins/aligntune_backend_unsloth" )
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRL_EXPERIMENTAL_SILENCE=1
export TOKENIZERS_PARALLELISM=false
