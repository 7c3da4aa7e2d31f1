"""``create_rl_trainer`` under the guide's import path ``aligntune.core.backend_factory``.

A re-export, because the guide imports it from here; the factory itself (keyword
validation, reward-source mapping, pre-flight checks) is :mod:`aligntune.rl.factory`.
"""

from aligntune.rl.factory import create_rl_trainer

__all__ = ["create_rl_trainer"]
