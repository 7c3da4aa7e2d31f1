"""The reward scorer and the TRL adapter: rewards come from the decoded response text."""

from __future__ import annotations

import math

import pytest
import torch
from transformers import AutoTokenizer

from aligntune.errors import ConfigurationError, RewardFunctionError
from aligntune.reward_model.scoring import TextRewardModel
from aligntune_backend_trl.token_reward import RewardAdapter, RewardScorer

RESPONSES = [
    "Thanks for asking! First, write down your goals. Then plan each step.",
    "You are hopeless and this is a stupid question.",
    "Of course. Drink water, sleep well and take short breaks during the day.",
    "banana the of running quickly sky",
]
PROMPT = "How can I manage stress at work?"


@pytest.fixture(scope="module")
def policy_tok(policy_dir):
    tok = AutoTokenizer.from_pretrained(policy_dir)
    tok.padding_side = "left"
    return tok


def _query_responses(tok, prompt: str, responses: list[str], width: int = 16) -> tuple[torch.Tensor, int]:
    """Rows shaped like TRL's: prompt left-padded to ``width``, response, then pads (EOS truncated)."""
    p = tok(prompt)["input_ids"][-width:]
    rows = [[tok.pad_token_id] * (width - len(p)) + p + tok(r, add_special_tokens=False)["input_ids"] for r in responses]
    longest = max(len(r) for r in rows)
    return torch.tensor([r + [tok.pad_token_id] * (longest - len(r)) for r in rows]), width


def _trl_rewards(adapter, tok, query_responses, width):
    from trl.experimental.utils import get_reward

    _, score, _ = get_reward(adapter, query_responses, tok.pad_token_id, width)
    return score.tolist()


def test_cross_tokenizer_rewards_equal_the_reward_model_on_decoded_text(policy_tok, cross_tok_rm_dir):
    rm = TextRewardModel.from_pretrained(cross_tok_rm_dir)
    scorer = RewardScorer(policy_tok, reward_model=rm)
    assert not scorer.fast_path
    adapter = RewardAdapter(scorer, prompt_width=16)
    qr, width = _query_responses(policy_tok, PROMPT, RESPONSES)
    rewards = _trl_rewards(adapter, policy_tok, qr, width)
    expected = rm.score(RESPONSES)
    assert rewards == pytest.approx(expected, abs=1e-5)
    # a response the reward model scores higher gets a higher PPO reward
    order = sorted(range(len(RESPONSES)), key=expected.__getitem__)
    assert [rewards[i] for i in order] == sorted(rewards)
    assert adapter.drain().completions == RESPONSES


def test_same_tokenizer_fast_path_matches_text_scoring(policy_tok, same_tok_rm_dir):
    rm = TextRewardModel.from_pretrained(same_tok_rm_dir)
    scorer = RewardScorer(policy_tok, reward_model=rm)
    assert scorer.fast_path
    slow = RewardScorer(policy_tok, reward_model=rm, fast_path=False)
    qr, width = _query_responses(policy_tok, PROMPT, RESPONSES)
    fast_rewards = _trl_rewards(RewardAdapter(scorer, width), policy_tok, qr, width)
    slow_rewards = _trl_rewards(RewardAdapter(slow, width), policy_tok, qr, width)
    assert fast_rewards == pytest.approx(rm.score(RESPONSES), abs=1e-4)
    assert fast_rewards == pytest.approx(slow_rewards, abs=1e-4)


def test_fast_path_cuts_long_responses_where_the_reward_model_does(policy_tok, same_tok_rm_dir):
    """A reward model loaded (or trained) with a short ``max_length`` scores the same on both paths:
    the fast path once read up to 512 tokens whatever the model's own limit."""
    rm = TextRewardModel.from_pretrained(same_tok_rm_dir, max_length=8)
    scorer = RewardScorer(policy_tok, reward_model=rm)
    assert scorer.fast_path and scorer.max_length == 8
    slow = RewardScorer(policy_tok, reward_model=rm, fast_path=False)
    qr, width = _query_responses(policy_tok, PROMPT, RESPONSES)
    fast_rewards = _trl_rewards(RewardAdapter(scorer, width), policy_tok, qr, width)
    assert fast_rewards == pytest.approx(rm.score(RESPONSES), abs=1e-4)
    assert fast_rewards == pytest.approx(_trl_rewards(RewardAdapter(slow, width), policy_tok, qr, width), abs=1e-4)


def test_rule_functions_score_the_decoded_response_with_its_prompt(policy_tok, text_rewards):
    scorer = RewardScorer(policy_tok, reward_functions=["politeness", "on_topic"], reward_function_weights=[3, 1])
    qr, width = _query_responses(policy_tok, PROMPT, RESPONSES)
    rewards = _trl_rewards(RewardAdapter(scorer, width), policy_tok, qr, width)
    from aligntune.rewards.composite import CompositeReward

    expected = CompositeReward(["politeness", "on_topic"], [3, 1]).score(RESPONSES, prompts=[PROMPT] * len(RESPONSES))
    assert rewards == pytest.approx(expected, abs=1e-6)
    assert rewards[0] > rewards[1]  # polite and on topic beats rude


def test_weighted_mix_of_model_and_rules(policy_tok, cross_tok_rm_dir, text_rewards):
    rm = TextRewardModel.from_pretrained(cross_tok_rm_dir)
    scorer = RewardScorer(policy_tok, reward_model=rm, reward_functions=["politeness"], reward_model_weight=1.0)
    mixed = scorer.score_texts(RESPONSES, prompts=[PROMPT] * 4)
    model = rm.score(RESPONSES)
    from aligntune.rewards.registry import RewardRegistry

    rules = RewardRegistry().get_reward_function("politeness").score(RESPONSES)
    assert mixed == pytest.approx([0.5 * m + 0.5 * r for m, r in zip(model, rules)], abs=1e-6)
    with pytest.raises(ConfigurationError, match="reward_model_weight"):
        RewardScorer(policy_tok, reward_model=rm, reward_functions=["politeness"])


def test_nan_rewards_are_an_error(policy_tok):
    from aligntune.rewards.base import reward_function

    nan_fn = reward_function(lambda text: math.nan, name="always_nan")
    scorer = RewardScorer(policy_tok, reward_functions=[nan_fn])
    qr, width = _query_responses(policy_tok, PROMPT, RESPONSES[:2])
    with pytest.raises(RewardFunctionError, match="always_nan.*NaN"):
        _trl_rewards(RewardAdapter(scorer, width), policy_tok, qr, width)


def test_adapter_meets_trl_module_contract(policy_tok, cross_tok_rm_dir):
    rm = TextRewardModel.from_pretrained(cross_tok_rm_dir)
    adapter = RewardAdapter(RewardScorer(policy_tok, reward_model=rm), prompt_width=16)
    assert adapter.to("cpu") is adapter
    assert adapter.config.hidden_size == rm.model.config.hidden_size
    assert any(p is next(rm.model.parameters()) for p in adapter.parameters())
    qr, width = _query_responses(policy_tok, PROMPT, RESPONSES)
    out = adapter(input_ids=qr, attention_mask=qr != policy_tok.pad_token_id)
    assert out.shape == (len(RESPONSES), qr.shape[1], 1)
    with pytest.raises(RewardFunctionError, match="left-padded to 16 tokens"):
        adapter(input_ids=qr[:, :8])


def test_a_policy_padding_with_its_eos_keeps_the_eos_that_ended_a_response(policy_dir):
    """GPT-2-style tokenizers pad with EOS, so TRL masks the EOS that ended a response along with the padding;
    the recorded response ids still end with it (PPO's lengths and ``missing_eos`` read them)."""
    from aligntune.rl.reward import LocalReward
    from aligntune.rewards.composite import CompositeReward
    from aligntune_backend_trl.token_reward import TokenReward

    tok = AutoTokenizer.from_pretrained(policy_dir)
    tok.pad_token = tok.eos_token
    width, eos = 16, tok.eos_token_id
    p = tok(PROMPT)["input_ids"][-width:]
    short, long = (tok(r, add_special_tokens=False)["input_ids"] for r in (RESPONSES[1], RESPONSES[0]))
    ended = [eos] * (width - len(p)) + p + short + [eos] * (len(long) - len(short))  # EOS, then EOS as padding
    cut = [eos] * (width - len(p)) + p + long  # the length budget ran out: no EOS
    reward = LocalReward(rules=CompositeReward(["length"]))
    adapter = RewardAdapter(TokenReward(reward, tok), prompt_width=width)
    _trl_rewards(adapter, tok, torch.tensor([ended, cut]), width)
    recorded = adapter.drain()
    assert recorded.completion_ids == [short + [eos], long]
    assert recorded.completions == [RESPONSES[1], RESPONSES[0]]  # the text is the same without it
