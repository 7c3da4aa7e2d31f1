"""Deprecated alias (one release) of :mod:`aligntune.rl.reward`; see CHANGELOG.md.

The token-level scorer (``bridge.scorer.RewardScorer``) and its tokenizer helpers moved to the
TRL plugin (``aligntune_backend_trl.token_reward``), the only place that sees a policy tokenizer.
"""

import warnings

from aligntune.rl.reward import *  # noqa: F403
from aligntune.rl.reward import __all__  # noqa: F401

warnings.warn("aligntune.rl.bridge is now aligntune.rl.reward; the old name goes in the next release",
              DeprecationWarning, stacklevel=2)
