"""Whether Unsloth can run here, decided without importing unsloth."""

from __future__ import annotations

import importlib.util

from aligntune.plugin_api import Availability

INSTALL = "pip install 'aligntune[unsloth]'"


def check_availability() -> Availability:
    """Unsloth needs a CUDA GPU and the unsloth package.

    Only ``torch.cuda`` is queried and ``unsloth`` is looked up, never imported, so
    the check has no side effects.
    """
    reasons = []
    try:
        import torch

        has_cuda = torch.cuda.is_available()
    except ImportError:
        has_cuda = False
    if not has_cuda:
        reasons.append(
            "Unsloth needs a CUDA GPU and none is visible (torch.cuda.is_available() is False); "
            "use backend='trl' to run PPO on this machine"
        )
    if importlib.util.find_spec("unsloth") is None:
        reasons.append(f"the unsloth package is not installed; on a CUDA machine run: {INSTALL}")
    if reasons:
        return Availability(available=False, reason="; ".join(reasons))
    return Availability(available=True)
