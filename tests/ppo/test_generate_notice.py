"""PPO's run prints no transformers notice about TRL's own ``generate`` call.

Before: every PPO run (the README's demo included) printed "Passing `generation_config` together with
generation-related arguments ... is deprecated", raised by the call TRL 1.12's PPO makes itself.
"""

from __future__ import annotations

import logging

import pytest

from aligntune.core.backend_factory import create_rl_trainer
from ppo_helpers import fast_ppo_kwargs

NOTICE = "together with generation-related"


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.mark.slow
def test_ppo_run_prints_no_notice_about_trls_generate_call(text_rewards, policy_dir, prompts_file, tmp_path):
    from transformers import GenerationConfig
    from transformers.utils import logging as hf_logging

    target = logging.getLogger("transformers.generation.utils")
    records = _Records()
    target.addHandler(records)
    try:
        trainer = create_rl_trainer(model_name=str(policy_dir), dataset_name=str(prompts_file),
                                    reward_functions=["word_count"], **fast_ppo_kwargs(tmp_path))
        trainer.build()
        # the call TRL's PPO makes does raise the notice here (so its absence below means something)
        hf_logging.get_logger("x").warning_once.cache_clear()
        ids = trainer.tokenizer(["Hello there"], return_tensors="pt")
        trainer.unwrapped_policy().generate(**ids, generation_config=GenerationConfig(max_new_tokens=2, do_sample=False),
                                             return_dict_in_generate=True, output_scores=True)
        assert any(NOTICE in m for m in records.messages)
        records.messages.clear()
        hf_logging.get_logger("x").warning_once.cache_clear()
        trainer.train()
    finally:
        target.removeHandler(records)
    assert not [m for m in records.messages if NOTICE in m]
    # the filter is gone after the run: other code still gets transformers' notices
    assert not target.filters
