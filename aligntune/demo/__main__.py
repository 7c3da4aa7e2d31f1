"""``python -m aligntune.demo [OUTPUT_DIR] [--overwrite]``: run the end-to-end demo."""

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
    parser.add_argument("--episodes", type=int, default=384, help="PPO episodes (responses)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")

    try:
        run_demo(args.output_dir, overwrite=args.overwrite, ppo_episodes=args.episodes)
    except AlignTuneError as exc:
        raise SystemExit(f"Error: {exc}") from None


if __name__ == "__main__":
    main()
