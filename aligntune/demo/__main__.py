"""``python -m aligntune.demo [OUTPUT_DIR] [--algorithm ppo|grpo|rloo] [--overwrite]``: run the end-to-end demo."""

from __future__ import annotations

import argparse
import logging
import os

os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# after the environment defaults above; importing the demo loads no torch yet
from aligntune.demo import run_demo  # noqa: E402
from aligntune.errors import AlignTuneError  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m aligntune.demo", description=__doc__)
    parser.add_argument("output_dir", nargs="?", default="./aligntune_demo")
    parser.add_argument("--overwrite", action="store_true", help="replace a non-empty output directory")
    parser.add_argument("--algorithm", choices=("ppo", "grpo", "rloo"), default="ppo",
                        help="the RL algorithm (default ppo)")
    parser.add_argument("--episodes", type=int, default=None,
                        help="RL episodes: responses (PPO, default 1536) or completions (GRPO/RLOO, 4 per prompt, "
                             "default 768)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")

    try:
        run_demo(args.output_dir, overwrite=args.overwrite, ppo_episodes=args.episodes, algorithm=args.algorithm)
    except AlignTuneError as exc:
        raise SystemExit(f"Error: {exc}") from None


if __name__ == "__main__":
    main()
