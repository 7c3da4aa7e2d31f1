#!/usr/bin/env bash
# Set up a fresh environment and run the main job.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
if "$VPY" -c "import aligntune.demo" 2>/dev/null; then
  "$VPY" -m aligntune.demo "$@"
else
  "$ROOT/.venv/bin/aligntune" rewards score \
    --function length,sentiment,safety,coherence,helpfulness \
    --input examples/sample_responses.jsonl
fi
