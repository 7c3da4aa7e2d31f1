"""The bundled training corpus: prompts with responses that vary on five quality axes.

Each response is assembled from the phrase banks in :mod:`aligntune.data.templates`
with every axis drawn independently, so no axis can be learned as a proxy for
another:

* tone: polite, neutral or rude opening and closing;
* safety: safe, or with one or two harmful or profane sentences;
* helpfulness: answers the prompt, refuses, or answers a different question;
* length: tiny (a few words), short (one sentence), medium (three steps), long
  (five to seven steps with elaboration) or very long (ten or more steps, well past
  what a reader wants);
* coherence: coherent, words shuffled, or word salad.

Real answers are rarely good on one axis and bad on all others, so each example
first draws an overall quality (good, mixed or bad): a good example draws every
axis from its good levels most of the time, a bad one from its bad levels, and a
mixed one draws every axis independently. Every combination of levels still occurs,
so each axis is also seen varying on its own.

Generation is deterministic for a seed and needs no files or network.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from aligntune.data import templates as t
from aligntune.errors import show

AXES: dict[str, tuple[tuple[str, float], ...]] = {
    "tone": (("polite", 0.35), ("neutral", 0.3), ("rude", 0.35)),
    "safety": (("safe", 0.7), ("harmful", 0.3)),
    "helpfulness": (("helpful", 0.55), ("refusing", 0.25), ("off_topic", 0.2)),
    "length": (("tiny", 0.15), ("short", 0.2), ("medium", 0.3), ("long", 0.25), ("very_long", 0.1)),
    "coherence": (("coherent", 0.7), ("shuffled", 0.15), ("salad", 0.15)),
}

#: The levels each axis leans to in a good / bad example (drawn with probability LEAN).
GOOD_LEVELS = {"tone": ("polite", "neutral"), "safety": ("safe",), "helpfulness": ("helpful",),
               "length": ("medium", "long"), "coherence": ("coherent",)}
BAD_LEVELS = {"tone": ("rude",), "safety": ("harmful",), "helpfulness": ("refusing", "off_topic"),
              "length": ("tiny", "very_long"), "coherence": ("salad", "shuffled")}
QUALITY = (("good", 0.35), ("mixed", 0.3), ("bad", 0.35))
LEAN = 0.75

#: Size of the corpus :func:`load_bundled_corpus` returns by default.
DEFAULT_SIZE = 5000  # distinct texts beat more passes over fewer: 4,000 train and 1,000 held out


@dataclass(frozen=True)
class Corpus:
    """Parallel lists: ``texts[i]`` answers ``prompts[i]``; ``labels[i]`` holds its level on each axis."""

    texts: list[str]
    prompts: list[str]
    labels: list[dict[str, str]] = field(repr=False)

    def __len__(self) -> int:
        return len(self.texts)

    def to_dict(self) -> dict[str, list[str]]:
        """Columns ``text``, ``prompt`` and one per axis (for ``datasets.Dataset.from_dict``)."""
        columns: dict[str, list[str]] = {"text": self.texts, "prompt": self.prompts}
        for axis in AXES:
            columns[axis] = [row[axis] for row in self.labels]
        return columns


def load_bundled_corpus(n: int = DEFAULT_SIZE, *, seed: int = 0) -> Corpus:
    """Generate ``n`` distinct (prompt, response) examples, the same ones for the same seed.

    ``n`` may be anything from 1 to a few thousand (the templates allow many more
    distinct texts than that).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be an integer >= 1, got {show(n)}")
    rng = random.Random(seed)
    topics = sorted(t.TOPICS)
    seen: set[str] = set()
    texts: list[str] = []
    prompts: list[str] = []
    labels: list[dict[str, str]] = []
    attempts = 0
    while len(texts) < n:
        attempts += 1
        if attempts > n * 50:
            raise RuntimeError(f"Could not generate {n} distinct texts from the templates")
        levels = _draw_levels(rng)
        topic = rng.choice(topics)
        prompt = rng.choice(t.TOPICS[topic][0])
        text = _compose(rng, topic, levels, topics)
        if text in seen:
            continue
        seen.add(text)
        texts.append(text)
        prompts.append(prompt)
        labels.append(levels)
    return Corpus(texts=texts, prompts=prompts, labels=labels)


def _draw_levels(rng: random.Random) -> dict[str, str]:
    quality = _draw(rng, QUALITY)
    levels = {}
    for axis, choices in AXES.items():
        lean = GOOD_LEVELS if quality == "good" else BAD_LEVELS if quality == "bad" else None
        if lean is not None and rng.random() < LEAN:
            levels[axis] = rng.choice(lean[axis])
        else:
            levels[axis] = _draw(rng, choices)
    return levels


def _draw(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    names = [c[0] for c in choices]
    weights = [c[1] for c in choices]
    return rng.choices(names, weights=weights, k=1)[0]


def _steps(rng: random.Random, topic: str, k: int) -> list[str]:
    steps = t.TOPICS[topic][1]
    start = rng.randrange(len(steps))
    picked = [steps[(start + i) % len(steps)] for i in range(min(k, len(steps)))]
    return picked


def _body(rng: random.Random, topic: str, levels: dict[str, str], topics: list[str]) -> list[str]:
    length = levels["length"]
    if levels["helpfulness"] == "refusing":
        if length == "tiny":
            return [rng.choice(t.TERSE_REFUSALS)]
        n = {"short": 1, "medium": 2, "long": 4, "very_long": 6}[length]
        return rng.sample(t.REFUSALS, n)
    if levels["helpfulness"] == "off_topic":
        topic = rng.choice([x for x in topics if x != topic])
    if length == "tiny":
        words = _steps(rng, topic, 1)[0].rstrip(".").split()
        return [" ".join(words[: rng.randint(2, 6)]) + "."]
    if length == "short":
        return _steps(rng, topic, 1)
    if length == "medium":
        steps = _steps(rng, topic, 3)
        return [f"{c} {s[0].lower()}{s[1:]}" if rng.random() < 0.5 else s for c, s in zip(t.CONNECTORS[::2], steps)]
    steps = _steps(rng, topic, rng.randint(5, 7))
    if length == "very_long":
        steps = steps + _steps(rng, rng.choice(topics) if rng.random() < 0.3 else topic, 6)
    out = []
    for i, step in enumerate(steps):
        connector = t.CONNECTORS[min(i, len(t.CONNECTORS) - 1)] if i < 2 or i == len(steps) - 1 else "Also,"
        out.append(f"{connector} {step[0].lower()}{step[1:]}")
        if rng.random() < 0.6:
            out.append(rng.choice(t.ELABORATIONS))
    return out


def _compose(rng: random.Random, topic: str, levels: dict[str, str], topics: list[str]) -> str:
    tone = levels["tone"]
    opening = {"polite": t.POLITE_OPENINGS, "neutral": t.NEUTRAL_OPENINGS, "rude": t.RUDE_OPENINGS}[tone]
    closing = {"polite": t.POLITE_CLOSINGS, "neutral": t.NEUTRAL_CLOSINGS, "rude": t.RUDE_CLOSINGS}[tone]
    tiny = levels["length"] == "tiny"
    sentences = ([rng.choice(t.TERSE_RUDE)] if tiny and tone == "rude" else [] if tiny else [rng.choice(opening)])
    sentences += _body(rng, topic, levels, topics)
    if levels["safety"] == "harmful":
        for sentence in rng.sample(t.HARMFUL_SENTENCES, 1 if tiny else rng.randint(1, 2)):
            sentences.insert(rng.randint(1, len(sentences)), sentence)
    if levels["length"] not in ("tiny", "short") or (tone == "rude" and not tiny):
        sentences.append(rng.choice(closing))
    text = " ".join(s for s in sentences if s)
    if levels["coherence"] == "shuffled":
        words = text.split()
        rng.shuffle(words)
        text = " ".join(words)
    elif levels["coherence"] == "salad":
        words = text.split()
        keep = rng.sample(words, max(1, len(words) // 3))
        filler = [rng.choice(t.FILLER_WORDS) for _ in range(max(3, len(words) - len(keep)))]
        mixed = keep + filler
        rng.shuffle(mixed)
        if rng.random() < 0.5:
            i = rng.randrange(len(mixed))
            mixed[i:i] = [mixed[i]] * rng.randint(2, 4)
        text = " ".join(mixed)
    return text
