"""Chat templates in model directories are untrusted input: every failure is one ChatTemplateError.

A template that raises, reads ``__class__``, has a syntax error or loops for a very long time
used to reach the user as a raw Jinja traceback or a hang, and ``--dry-run`` never rendered the
template, so it said "valid" for a run that failed after loading. Every place aligntune renders
a template (RL prompts, preference pairs, reward-model evaluation, ``--dry-run``) goes through
:mod:`aligntune.chat_templates`.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from aligntune.cli import main

GOOD = ("{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}{{ eos_token }}{% endfor %}"
        "{% if add_generation_prompt %}<|assistant|>{% endif %}")

HOSTILE = {
    "raises": ("{{ raise_exception('Conversation roles must alternate user/assistant') }}",
               r"the template raised an error: 'Conversation roles must alternate user/assistant'"),
    "reads-class": ("{{ messages.__class__.__mro__ }}", r"sandbox refuses \(access to attribute '__class__'"),
    "syntax-error": ("{% for m in messages %}{{ m['content'] }", r"is not valid Jinja: .*\(line 1\)"),
    "loops-for-hours": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                        r"took more than 1 s to render conversation 0 .* and was stopped"),
    "huge-string": ("{{ 'x' * 10000000000 }}", r"builds more than 1000000 items"),
}
CONVERSATION = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Name a river."}]


@pytest.fixture
def short_limit(monkeypatch):
    """One second per render instead of ten, so the looping template is stopped quickly."""
    import aligntune.chat_templates

    monkeypatch.setattr(aligntune.chat_templates, "TIME_LIMIT_S", 1.0)


def _policy_with_template(src: Path, out: Path, template: str) -> Path:
    shutil.copytree(src, out)
    config_path = out / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["chat_template"] = template
    config_path.write_text(json.dumps(config))
    (out / "chat_template.jinja").unlink(missing_ok=True)
    return out


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_render_turns_each_hostile_template_into_one_error(name, short_limit):
    from aligntune.chat_templates import ChatTemplateError, render

    template, message = HOSTILE[name]
    started = time.perf_counter()
    with pytest.raises(ChatTemplateError, match=message) as info:
        render(template, [CONVERSATION], origin="model_name='x'")
    assert time.perf_counter() - started < 5
    assert "model_name='x'" in str(info.value) and "fix the template" in str(info.value)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_rl_dry_run_renders_the_policy_template_once(name, short_limit, tiny_gpt2_dir, tmp_path):
    """Before: --dry-run said "Configuration is valid"; the run failed (or hung) after loading the models."""
    template, message = HOSTILE[name]
    policy = _policy_with_template(tiny_gpt2_dir, tmp_path / "policy", template)
    prompts = tmp_path / "chat.jsonl"
    prompts.write_text("".join(json.dumps({"messages": CONVERSATION}) + "\n" for _ in range(4)))
    config = tmp_path / "rl.yaml"
    config.write_text(yaml.safe_dump({"model_name": str(policy), "dataset_name": str(prompts), "algorithm": "grpo",
                                      "backend": "trl", "reward_functions": ["length"], "batch_size": 2,
                                      "num_generations": 2, "output_dir": str(tmp_path / "out")}))
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["rl", "--config", str(config), "--dry-run"])
    assert time.perf_counter() - started < 30
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), f"a traceback instead of a message: {result.exception!r}"
    assert "Configuration is valid" not in result.output and "Traceback" not in result.output
    assert __import__("re").search(message, result.output), result.output
    assert f"model_name={str(policy)!r}" in result.output
    assert not (tmp_path / "out").exists()


def test_rl_dry_run_renders_a_good_template(tiny_gpt2_dir, tmp_path):
    policy = _policy_with_template(tiny_gpt2_dir, tmp_path / "policy", GOOD)
    prompts = tmp_path / "chat.jsonl"
    prompts.write_text("".join(json.dumps({"messages": CONVERSATION}) + "\n" for _ in range(4)))
    config = tmp_path / "rl.yaml"
    config.write_text(yaml.safe_dump({"model_name": str(policy), "dataset_name": str(prompts), "algorithm": "grpo",
                                      "backend": "trl", "reward_functions": ["length"], "batch_size": 2,
                                      "num_generations": 2, "output_dir": str(tmp_path / "out")}))
    result = CliRunner().invoke(main, ["rl", "--config", str(config), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Configuration is valid" in result.output


@pytest.mark.parametrize("name", ["raises", "reads-class", "syntax-error", "huge-string"])
def test_rl_prompts_rendered_with_a_loaded_tokenizer_give_one_error(name, tiny_gpt2_dir, tmp_path):
    """The path a hub policy takes (its template is known only once it loads): format_prompts."""
    from datasets import Dataset
    from transformers import AutoTokenizer

    from aligntune.chat_templates import ChatTemplateError
    from aligntune.rl.prompts import format_prompts, load_prompt_dataset

    template, message = HOSTILE[name]
    tokenizer = AutoTokenizer.from_pretrained(_policy_with_template(tiny_gpt2_dir, tmp_path / "policy", template))
    data = load_prompt_dataset(Dataset.from_dict({"messages": [CONVERSATION, CONVERSATION]}))
    with pytest.raises(ChatTemplateError, match=message):
        format_prompts(data, tokenizer)


def test_a_good_template_renders_what_transformers_renders(tiny_gpt2_dir, tmp_path):
    from transformers import AutoTokenizer

    from aligntune.chat_templates import render_with

    tokenizer = AutoTokenizer.from_pretrained(_policy_with_template(tiny_gpt2_dir, tmp_path / "policy", GOOD))
    for generation in (False, True):
        ours = render_with(tokenizer, [CONVERSATION], origin="x", add_generation_prompt=generation)
        theirs = tokenizer.apply_chat_template(CONVERSATION, tokenize=False, add_generation_prompt=generation)
        assert ours == [theirs]
    assert ours[0].endswith("<|endoftext|><|assistant|>")


@pytest.mark.parametrize("name", ["raises", "reads-class", "syntax-error"])
def test_preference_pairs_rendered_with_a_hostile_template_give_one_error(name, tiny_gpt2_dir, tmp_path):
    """The reward-model side renders conversational pairs with the base model's template."""
    from datasets import Dataset
    from transformers import AutoTokenizer

    from aligntune.chat_templates import ChatTemplateError
    from aligntune.reward_model.preferences import preference_texts

    template, message = HOSTILE[name]
    tokenizer = AutoTokenizer.from_pretrained(_policy_with_template(tiny_gpt2_dir, tmp_path / "base", template))
    answer = [{"role": "assistant", "content": "The Nile."}]
    data = Dataset.from_dict({"prompt": [CONVERSATION], "chosen": [answer],
                              "rejected": [[{"role": "assistant", "content": "No."}]]})
    with pytest.raises(ChatTemplateError, match=message):
        preference_texts(data, tokenizer)
