#!/usr/bin/env bash
# Set up a fresh environment and run the whole test suite.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
"$VPY" -m pytest -q -p no:cacheprovider "$@"
