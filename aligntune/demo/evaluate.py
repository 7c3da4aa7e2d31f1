"""Sample a policy on fixed prompts and score the samples (reward model and rule composite)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PolicyEval:
    """Mean scores of a policy's samples, plus a few samples to show."""

    reward_model: float
    rules: float
    samples: list[tuple[str, str]]


def evaluate_policy(
    model_dir: str,
    prompts: list[str],
    *,
    reward_model: Any,
    rules: Any,
    max_new_tokens: int,
    temperature: float,
    seed: int = 0,
    batch_size: int = 16,
) -> PolicyEval:
    """Sample one response per prompt from ``model_dir`` and score them."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(seed)
    tok = AutoTokenizer.from_pretrained(model_dir)
    tok.padding_side = "left"
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    responses: list[str] = []
    for start in range(0, len(prompts), batch_size):
        chunk = prompts[start : start + batch_size]
        enc = tok(chunk, return_tensors="pt", padding=True)
        with torch.no_grad():
            out = model.generate(
                **enc, max_new_tokens=max_new_tokens, do_sample=True, temperature=temperature, top_k=0, top_p=1.0,
                pad_token_id=tok.pad_token_id, eos_token_id=tok.eos_token_id,
            )
        responses += tok.batch_decode(out[:, enc["input_ids"].shape[1] :], skip_special_tokens=True)
    rm_scores = reward_model.score(responses)
    rule_scores = rules.score(responses, prompts=prompts)
    return PolicyEval(
        reward_model=sum(rm_scores) / len(rm_scores),
        rules=sum(rule_scores) / len(rule_scores),
        samples=list(zip(prompts[:3], responses[:3])),
    )
