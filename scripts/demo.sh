#!/usr/bin/env bash
# Set up a fresh environment and run the main job: the end-to-end demo on the embedded
# default (rules -> MiniLM reward model -> PPO on a tiny local policy). Outputs go to
# outputs/demo (replaced on each run); extra arguments go to `python -m aligntune.demo`.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
"$VPY" -m aligntune.demo outputs/demo --overwrite "$@"
