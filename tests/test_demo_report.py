"""What the demo prints and measures besides the gold: every rule, marker density, answers shown."""

from __future__ import annotations

import pytest

from aligntune.data.corpus import load_bundled_corpus
from aligntune.demo.evaluate import PolicyEval, compare, shown_prompts
from aligntune.demo.report import print_summary
from aligntune.demo.run import well_formed_examples
from aligntune.errors import ConfigurationError


def _eval(n, gold, *, words=20.0, markers=1.0, coherence=0.8, answer="An answer."):
    prompts = [f"Question {i}?" for i in range(n)]
    return PolicyEval(prompts=prompts, proxy=[gold] * n, gold=[gold] * n, gold_without=[gold] * n,
                      components={"length": [1.0] * n, "coherence": [coherence] * n}, words=[words] * n,
                      samples=[(prompts[i], f"{answer} ({i})") for i in shown_prompts(n)], markers=[markers] * n)


def test_compare_reports_each_rule_with_an_interval_and_the_marker_density():
    result = compare(_eval(30, 0.5, markers=2.0, coherence=0.7), _eval(30, 0.6, words=40.0, markers=1.0))
    coherence = result["components"]["coherence"]
    assert coherence["before"] == pytest.approx(0.7) and coherence["gain"] == pytest.approx(0.1)
    assert coherence["low"] == pytest.approx(0.1) and coherence["high"] == pytest.approx(0.1)
    # 2 markers in 20 words -> 10 per 100 words; 1 in 40 -> 2.5
    assert result["marker_density"] == {"before": pytest.approx(10.0), "after": pytest.approx(2.5)}


def test_shown_answers_are_spread_over_the_prompts():
    assert shown_prompts(64) == [0, 21, 42]
    assert shown_prompts(2) == [0, 1] and shown_prompts(1) == [0]


def test_summary_prints_every_rule_the_density_and_three_answers_before_and_after(capsys):
    before, after = _eval(12, 0.5, answer="Before it"), _eval(12, 0.6, answer="After it")
    held = compare(before, after)
    summary = {
        "fidelity": {"spearman": 0.9, "pairwise_accuracy": 0.8}, "reward_model": "rm", "ppo_steps": 4,
        "fast_path": False, "ppo_reward_first_step": 0.1, "ppo_reward_last_step": 0.2,
        "ppo_reward_first_quarter": 0.1, "ppo_reward_last_quarter": 0.2, "held_out": held, "eval_prompts": 12,
        "eval_samples_per_prompt": 1, "rules": ["length", "coherence"], "weights": [0.4, 0.6],
        "length_target_words": [15, 120], "samples_before": before.samples, "samples_after": after.samples,
        "policy": "p", "reward_curve": "c", "timings_s": {"total": 1.0},
    }
    print_summary(summary)
    out = capsys.readouterr().out
    assert "coherence (0.6)" in out and "length (0.4)" in out
    assert "marker density            5.00 -> 5.00 helpfulness markers per 100 words" in out
    assert out.count("prompt: ") == 3 and out.count("before: Before it") == 3 and out.count("after:  After it") == 3
    assert "'Question 4?'" in out and "'Question 8?'" in out


@pytest.fixture(scope="module")
def corpus_and_tokenizer():
    from aligntune.demo.tiny_policy import train_bpe_tokenizer

    corpus = load_bundled_corpus(400)
    return corpus, train_bpe_tokenizer(corpus.texts + corpus.prompts, vocab_size=1024)


def test_the_policy_warms_up_on_sentences_only(corpus_and_tokenizer):
    corpus, tokenizer = corpus_and_tokenizer
    examples = well_formed_examples(corpus, tokenizer, answer_tokens=36)
    kept = [(p, t, levels) for p, t, levels in zip(corpus.prompts, corpus.texts, corpus.labels)
            if levels["coherence"] == "coherent" and levels["length"] != "tiny"]
    assert len(examples) == len(kept) and 0 < len(examples) < len(corpus)
    # the shuffled, salad and fragment answers are out; rude, unsafe, refusing, off-topic ones stay
    for axis, level in (("tone", "rude"), ("safety", "harmful"), ("helpfulness", "refusing"),
                        ("helpfulness", "off_topic")):
        assert any(levels[axis] == level for _, _, levels in kept), level
    for example, (prompt, text, _) in zip(examples, kept):
        answer = example[len(prompt) + 1:]
        assert example.startswith(prompt + " ") and text.startswith(answer)
        assert answer.endswith((".", "!", "?")), answer  # whole sentences, never cut mid-sentence


def test_warm_up_answers_fit_the_tokens_rl_samples(corpus_and_tokenizer):
    corpus, tokenizer = corpus_and_tokenizer
    examples = well_formed_examples(corpus, tokenizer, answer_tokens=24)
    whole = well_formed_examples(corpus, tokenizer, answer_tokens=10_000)
    cut = [(e, w) for e, w in zip(examples, whole) if e != w]
    assert cut and all(w.startswith(e) for e, w in cut)
    prompts = [p for p, levels in zip(corpus.prompts, corpus.labels)
               if levels["coherence"] == "coherent" and levels["length"] != "tiny"]
    for example, prompt in zip(examples, prompts):
        answer = example[len(prompt):]
        first_sentence = answer.split(". ")[0]
        # over the budget only where the first sentence alone is longer
        assert len(tokenizer(answer)["input_ids"]) <= 24 or answer.strip() == first_sentence.strip()


def test_a_corpus_without_sentences_is_refused_before_any_training(corpus_and_tokenizer):
    corpus, tokenizer = corpus_and_tokenizer
    fragments = type(corpus)(texts=corpus.texts[:1], prompts=corpus.prompts[:1],
                             labels=[{**corpus.labels[0], "coherence": "salad"}])
    with pytest.raises(ConfigurationError, match="no coherent answer longer than a fragment"):
        well_formed_examples(fragments, tokenizer, answer_tokens=36)
