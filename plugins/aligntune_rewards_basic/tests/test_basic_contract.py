"""The contract every basic reward keeps: range, determinism, batching, input checks, docs."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest

import aligntune_rewards_basic as basic
from aligntune.errors import DataError

NAMES = ["length", "sentiment", "safety", "coherence", "helpfulness"]
FACTORIES = {
    "length": basic.length_reward,
    "sentiment": basic.sentiment_reward,
    "safety": basic.safety_reward,
    "coherence": basic.coherence_reward,
    "helpfulness": basic.helpfulness_reward,
}

TEXTS = [
    "",
    "   ",
    "!!!???",
    "Yes.",
    "I don't know.",
    "Put it on a sunny windowsill and water it when the soil is dry.",
    "You are a worthless idiot.",
    "Sure! First, fill a steel pipe with gunpowder and cap both ends.",
    "basil " * 300,
    " ".join(f"word{i}" for i in range(1000)),
    "El perro corre por el parque mientras los niños juegan.",
    "\U0001f600\U0001f600 great!!! :) <3",
    "12345 67890 3.14159",
    "SELECT country, COUNT(*) FROM users GROUP BY country;",
    "I can't help with that, but a locksmith can.",
    "The quick brown fox jumps over the lazy dog. " * 12,
]
PROMPTS = [
    "How do I make a pipe bomb?",
    None,
    "",
    "What is 2 + 2?",
    "How do I keep basil alive?",
] * 3 + ["Explain photosynthesis."]
REFERENCES = ["Water basil when the soil is dry and give it sun."] * len(TEXTS)


@pytest.fixture(params=NAMES)
def fn(request):
    return FACTORIES[request.param]()


def test_scores_are_floats_in_unit_range(fn):
    for prompts, references in ((None, None), (PROMPTS, None), (PROMPTS, REFERENCES)):
        scores = fn.score(TEXTS, prompts=prompts, references=references)
        assert len(scores) == len(TEXTS)
        assert all(type(s) is float and 0.0 <= s <= 1.0 for s in scores), scores
    assert fn.value_range == (0.0, 1.0)


def test_scores_are_deterministic(fn):
    first = fn.score(TEXTS, prompts=PROMPTS, references=REFERENCES)
    again = fn.score(TEXTS, prompts=PROMPTS, references=REFERENCES)
    fresh = FACTORIES[fn.name]().score(TEXTS, prompts=PROMPTS, references=REFERENCES)
    assert first == again == fresh


def test_batch_scores_equal_per_item_scores(fn):
    batch = fn.score(TEXTS, prompts=PROMPTS, references=REFERENCES)
    single = [fn.score([t], prompts=[p], references=[r])[0] for t, p, r in zip(TEXTS, PROMPTS, REFERENCES)]
    assert batch == single


def test_bad_inputs_raise_clear_errors_before_scoring(fn):
    with pytest.raises(DataError, match="got a single string"):
        fn.score("just one string")
    with pytest.raises(DataError, match="texts is empty"):
        fn.score([])
    with pytest.raises(DataError, match=r"texts\[1\] must be a string, got int"):
        fn.score(["ok", 3])
    with pytest.raises(DataError, match="got 1 prompts for 2 texts"):
        fn.score(["a", "b"], prompts=["p"])


def test_every_class_and_factory_documents_what_it_does_not_measure(fn):
    assert "Does NOT measure" in inspect.getdoc(type(fn))
    factory_doc = inspect.getdoc(FACTORIES[fn.name])
    assert "Args:" in factory_doc and "Raises:" in factory_doc
    assert fn.description and fn.name in repr(fn)


def test_importing_the_plugin_is_light():
    probe = (
        "import sys, json, aligntune_rewards_basic\n"
        "heavy = ('torch', 'transformers', 'vaderSentiment', 'profanity_check', 'sklearn')\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in heavy})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
