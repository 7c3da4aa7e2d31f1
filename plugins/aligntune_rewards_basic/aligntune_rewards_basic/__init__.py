"""aligntune-rewards-basic: five rule-based rewards for aligntune.

Registers ``length``, ``sentiment``, ``safety``, ``coherence`` and ``helpfulness``
through the ``register_reward_functions`` hook (entry point ``rewards_basic`` in the
``aligntune`` group). Each scores a whole batch in ``[0, 1]``, higher is better, and
is deterministic. The registered instances use the defaults; build configured ones
with the factories::

    from aligntune_rewards_basic import length_reward
    short_answers = length_reward(min_words=5, max_words=40)

Importing this package is light: VADER and the offensive-language model load on
the first call that needs them.
"""

from __future__ import annotations

from typing import Callable

from aligntune import hookimpl
from aligntune.plugin_api import RewardFunction
from aligntune_rewards_basic.coherence import CoherenceReward, coherence_reward
from aligntune_rewards_basic.helpfulness import HelpfulnessReward, helpfulness_reward
from aligntune_rewards_basic.length import LengthReward, length_reward
from aligntune_rewards_basic.safety import SafetyReward, harmful_request_categories, safety_reward
from aligntune_rewards_basic.sentiment import SentimentReward, sentiment_reward

__all__ = [
    "CoherenceReward",
    "HelpfulnessReward",
    "LengthReward",
    "SafetyReward",
    "SentimentReward",
    "coherence_reward",
    "default_rewards",
    "harmful_request_categories",
    "helpfulness_reward",
    "length_reward",
    "register_reward_functions",
    "safety_reward",
    "sentiment_reward",
]


def default_rewards() -> list[RewardFunction]:
    """New instances of the five rewards with their default parameters."""
    return [length_reward(), sentiment_reward(), safety_reward(), coherence_reward(), helpfulness_reward()]


@hookimpl
def register_reward_functions(register: Callable[[RewardFunction], None]) -> None:
    """Register the five basic rewards with their default parameters."""
    for fn in default_rewards():
        register(fn)
