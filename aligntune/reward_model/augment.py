"""Rule-aware augmentation: counterfactual copies of the user's own training texts.

A reward function that fires on rare words or phrases (a harm pattern, a hedge, a sentiment
lexicon, a broken word order) fires in few of a user's texts, so a model trained on those
texts alone sees it move a handful of times. The rules are free to evaluate on any text, so
aligntune makes copies of the training texts that each change one thing, scores every copy
with the same rules, and trains on the copies next to the originals. Each copy stays in the
register of the user's data (it is their text, edited once), and each kind of edit moves one
or two rules while leaving the rest of the text as it was:

=================  ======================================================  =====================
kind               the copy                                                 moves mostly
=================  ======================================================  =====================
``truncate``       the first sentences (or words) of the text               length, helpfulness
``drop_sentence``  one sentence removed                                     length, content
``repeat``         one sentence repeated two to four times in a row         coherence, length
``shuffle``        the words of one sentence (or of the text) shuffled      coherence
``hedge``          a hedge or refusal added before the text                 helpfulness
``negate``         ``not`` added after (or removed from) a verb, or        sentiment
                   ``Do not`` before an instruction
``rude``           an insulting opening or closing sentence added           sentiment, safety
``harmful``        a sentence that encourages harm inserted                 safety
``list``           sentences turned into a numbered list, or a list         helpfulness,
                   into plain sentences                                     coherence
``other_prompt``   the same text under another training text's prompt       helpfulness, safety
=================  ======================================================  =====================

Copies are made only from training texts (never from held-out ones), after the held-out split,
and their scores come from the rules, never from the original's score. Kinds cycle in a fixed
order over texts drawn at random (seeded), so every kind gets about the same number of copies;
a kind that cannot apply to a text (one sentence cannot be dropped from a one-sentence text, a
text without prompts has no other prompt) passes to the next kind. The added sentences come from
the phrase banks of the bundled corpus (:mod:`aligntune.data.templates`).

This module is pure Python (no torch); :func:`augment_texts` makes the copies and
:func:`scored_copies` scores them into a dataset shaped like the training data.
"""

from __future__ import annotations

import logging
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from aligntune.data import templates as t
from aligntune.reward_model.scored_data import as_text_dataset, score_dataset

if TYPE_CHECKING:
    from datasets import Dataset

    from aligntune.rewards.composite import CompositeReward

logger = logging.getLogger(__name__)

#: Copies are added until the training texts and their copies number this many (none to a corpus that has them
#: already): the defaults reached their bundled-corpus targets with 4,000 distinct training texts once
#: (docs/reward-model-training.md), so a larger corpus needs no copies and keeps its training time.
AUGMENT_UP_TO = 4000

KINDS: tuple[str, ...] = (
    "truncate", "drop_sentence", "repeat", "shuffle", "hedge", "negate", "rude", "harmful", "list", "other_prompt",
)

#: Hedges and non-answers put before a text (with the bundled refusals).
HEDGES: tuple[str, ...] = (
    "I'm not sure, but maybe this helps.",
    "I think it depends, and I could be wrong.",
    "Honestly, I don't know for certain.",
    "Perhaps, I guess, it might be something like this.",
    "Hard to say, but probably:",
    "It's complicated and everyone is different, but:",
    *t.REFUSALS,
)

#: Sentence boundaries (captured, so splitting keeps them): spaces after ``.``/``!``/``?`` (or after one of
#: those and a closing quote or bracket), or line breaks.
_BOUNDARY = re.compile(r"((?<=[.!?])\s+|(?<=[.!?][\"')\]])\s+|\n+)")
_AUXILIARY = re.compile(r"\b(is|are|was|were|can|will|should|would|could|do|does|did|has|have|had|must|may|might)"
                        r"\b(?! not\b)",
                        re.IGNORECASE)
_NEGATION = re.compile(r"\b(not|never)\s+|n't\b", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*(?:\d+[.)]|[-*\u2022])\s+", re.MULTILINE)


@dataclass(frozen=True)
class Copies:
    """Augmented copies: ``texts[i]`` (under ``prompts[i]`` when prompts are used) was made from training text
    ``sources[i]`` by edit ``kinds[i]``."""

    texts: list[str]
    prompts: list[str] | None
    kinds: list[str]
    sources: list[int]

    def counts(self) -> dict[str, int]:
        """Copies of each kind, in :data:`KINDS` order (kinds with none are listed with 0)."""
        made = Counter(self.kinds)
        return {kind: made.get(kind, 0) for kind in KINDS}


def split_sentences(text: str) -> tuple[list[str], list[str]]:
    """``(sentences, separators)`` with ``text == s0 + sep0 + s1 + sep1 + ... + s_last``; space before the
    first sentence or after the last stays with it."""
    parts = _BOUNDARY.split(text)
    pieces: list[str] = []
    seps: list[str] = []
    current = parts[0]
    for sep, piece in zip(parts[1::2], parts[2::2]):
        if not current.strip() or not piece.strip():
            current += sep + piece
        else:
            pieces.append(current)
            seps.append(sep)
            current = piece
    pieces.append(current)
    return pieces, seps


def join_sentences(pieces: Sequence[str], seps: Sequence[str]) -> str:
    out = []
    for i, piece in enumerate(pieces):
        out.append(piece)
        if i < len(pieces) - 1:
            out.append(seps[i] if i < len(seps) else " ")
    return "".join(out)


def _truncate(text: str, rng: random.Random) -> str | None:
    pieces, seps = split_sentences(text)
    if len(pieces) >= 2:
        keep = rng.randint(1, len(pieces) - 1)
        return join_sentences(pieces[:keep], seps[:keep])
    words = text.split()
    if len(words) < 2:
        return None
    return " ".join(words[: rng.randint(1, len(words) - 1)])


def _drop_sentence(text: str, rng: random.Random) -> str | None:
    pieces, seps = split_sentences(text)
    if len(pieces) < 2:
        return None
    i = rng.randrange(len(pieces))
    return join_sentences(pieces[:i] + pieces[i + 1:], seps[:i] + seps[i + 1:])


def _repeat(text: str, rng: random.Random) -> str | None:
    pieces, seps = split_sentences(text)
    i = rng.randrange(len(pieces))
    times = rng.randint(2, 4)
    sep = seps[i] if i < len(seps) else " "
    return join_sentences(pieces[:i] + [pieces[i]] * (times + 1) + pieces[i + 1:],
                          seps[:i] + [sep] * times + seps[i:])


def _shuffle(text: str, rng: random.Random) -> str | None:
    pieces, seps = split_sentences(text)
    if len(pieces) >= 2 and rng.random() < 0.5:
        i = rng.randrange(len(pieces))
        words = pieces[i].split()
        if len(words) < 3:
            return None
        rng.shuffle(words)
        return join_sentences(pieces[:i] + [" ".join(words)] + pieces[i + 1:], seps)
    words = text.split()
    if len(words) < 3:
        return None
    rng.shuffle(words)
    return " ".join(words)


def _hedge(text: str, rng: random.Random) -> str | None:
    return f"{rng.choice(HEDGES)} {text}"


def _negate(text: str, rng: random.Random) -> str | None:
    negations = list(_NEGATION.finditer(text))
    auxiliaries = list(_AUXILIARY.finditer(text))
    if negations and (not auxiliaries or rng.random() < 0.5):
        m = rng.choice(negations)
        return text[: m.start()] + text[m.end():]
    if auxiliaries:
        m = rng.choice(auxiliaries)
        return f"{text[: m.end()]} not{text[m.end():]}"
    pieces, seps = split_sentences(text)  # no verb to negate: one sentence becomes an order not to
    i = rng.randrange(len(pieces))
    body = pieces[i].lstrip()
    if not body[:1].isalpha():
        return None
    pieces[i] = pieces[i][: len(pieces[i]) - len(body)] + "Do not " + body[0].lower() + body[1:]
    return join_sentences(pieces, seps)


def _rude(text: str, rng: random.Random) -> str | None:
    if rng.random() < 0.5:
        return f"{rng.choice(t.RUDE_OPENINGS)} {text}"
    return f"{text.rstrip()} {rng.choice(t.RUDE_CLOSINGS)}"


def _harmful(text: str, rng: random.Random) -> str | None:
    pieces, seps = split_sentences(text)
    i = rng.randint(0, len(pieces))
    return join_sentences(pieces[:i] + [rng.choice(t.HARMFUL_SENTENCES)] + pieces[i:],
                          seps[:i] + [" "] + seps[i:] if i < len(pieces) else seps + [" "])


def _list(text: str, rng: random.Random) -> str | None:
    if _LIST_MARK.search(text):
        return " ".join(line.strip() for line in _LIST_MARK.sub("", text).splitlines() if line.strip())
    pieces, _ = split_sentences(text)
    if len(pieces) < 2:
        return None
    return "\n".join(f"{i}. {p.strip()}" for i, p in enumerate(pieces, 1))


_EDITS: dict[str, Callable[[str, random.Random], str | None]] = {
    "truncate": _truncate, "drop_sentence": _drop_sentence, "repeat": _repeat, "shuffle": _shuffle,
    "hedge": _hedge, "negate": _negate, "rude": _rude, "harmful": _harmful, "list": _list,
}


def augment_texts(
    texts: Sequence[str],
    prompts: Sequence[str | None] | None = None,
    *,
    copies_per_text: float = 1.0,
    seed: int = 0,
    kinds: Sequence[str] = KINDS,
) -> Copies:
    """``round(copies_per_text * len(texts))`` edited copies of ``texts`` (see the module docstring).

    ``prompts`` (one per text, or ``None``) are kept with each copy; ``other_prompt`` needs them and at
    least two distinct prompts. Deterministic for ``seed``. An edit that would leave the text unchanged
    or empty is not kept.
    """
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown augmentation kinds {unknown}; the kinds are {list(KINDS)}")
    if not kinds or copies_per_text <= 0 or not texts:
        return Copies([], None if prompts is None else [], [], [])
    rng = random.Random(seed)
    distinct_prompts = sorted({p for p in prompts or () if p}) if prompts is not None else []
    wanted = round(copies_per_text * len(texts))
    out_texts: list[str] = []
    out_prompts: list[str] = []
    out_kinds: list[str] = []
    sources: list[int] = []
    attempts = 0
    k = 0
    while len(out_texts) < wanted and attempts < 4 * wanted + 10:
        attempts += 1
        i = rng.randrange(len(texts))
        text, prompt = texts[i], (prompts[i] if prompts is not None else None)
        for step in range(len(kinds)):  # this kind, or the next that applies to this text
            kind = kinds[(k + step) % len(kinds)]
            new_text, new_prompt = _apply(kind, text, prompt, distinct_prompts, rng)
            if new_text is not None and new_text.strip() and (new_text != text or new_prompt != prompt):
                out_texts.append(new_text)
                out_prompts.append(new_prompt or "")
                out_kinds.append(kind)
                sources.append(i)
                break
        k += 1
    return Copies(out_texts, out_prompts if prompts is not None else None, out_kinds, sources)


def _apply(kind: str, text: str, prompt: str | None, distinct_prompts: list[str],
           rng: random.Random) -> tuple[str | None, str | None]:
    if kind == "other_prompt":
        others = [p for p in rng.sample(distinct_prompts, min(3, len(distinct_prompts))) if p != prompt]
        return (text, others[0]) if others else (None, None)
    return _EDITS[kind](text, rng), prompt


def scored_copies(
    training: Dataset,
    composite: CompositeReward,
    *,
    copies_per_text: float,
    seed: int,
    use_prompts: bool,
    batch_size: int = 32,
) -> tuple[Dataset | None, dict[str, int]]:
    """Augmented copies of ``training`` (rows with ``text``, and ``prompt``/``reference`` when it has them),
    scored by ``composite`` into the columns the training data has; and the copies of each kind.

    Each copy keeps its source's prompt and reference, and is scored with them, as its source was.
    ``other_prompt`` copies are made only when ``use_prompts`` (the model reads the prompt): otherwise
    the model would see the same text with two scores. ``None`` when no copy was made.
    """
    prompts = training["prompt"] if "prompt" in training.column_names else None
    kinds = KINDS if use_prompts and prompts is not None else tuple(k for k in KINDS if k != "other_prompt")
    copies = augment_texts(training["text"], prompts, copies_per_text=copies_per_text, seed=seed, kinds=kinds)
    counts = copies.counts()
    if not copies.texts:
        return None, counts
    references = None
    if "reference" in training.column_names:
        source_refs = training["reference"]
        references = [source_refs[i] for i in copies.sources]
    dataset = as_text_dataset(copies.texts, prompts=copies.prompts, references=references, min_texts=1)
    scored = score_dataset(dataset, composite, batch_size=batch_size)
    logger.info("Augmented %d training texts with %d rule-scored copies (%s)", training.num_rows,
                len(copies.texts), ", ".join(f"{k} {n}" for k, n in counts.items() if n))
    return scored, counts


def merge_copies(training: Dataset, copies: Dataset | None) -> Dataset:
    """The training rows followed by the copies, in the columns both have."""
    if copies is None:
        return training
    from datasets import concatenate_datasets

    columns = [c for c in training.column_names if c in copies.column_names]
    return concatenate_datasets([training.select_columns(columns), copies.select_columns(columns).cast(
        training.select_columns(columns).features)])


def augment_training_part(
    training: Dataset,
    composite: CompositeReward,
    *,
    copies_per_text: float,
    seed: int,
    use_prompts: bool,
) -> tuple[Dataset, dict[str, Any]]:
    """The training rows followed by their scored copies, and the manifest's ``augmentation`` record
    (``copies_per_text`` asked for, ``up_to_texts``, ``n_copies`` made, ``kinds``: copies of each kind, and
    ``skipped``: why none were made).

    ``copies_per_text`` copies per training text, but no more than bring the training texts and copies to
    :data:`AUGMENT_UP_TO` (a corpus of that many training texts gets none).

    Copies are made only when the training data carries a column for every reward function of
    ``composite`` (data from ``generate_training_data``): their scores come from those functions, and a
    dataset scored some other way could not be matched. Otherwise the rows are returned as they are and
    the reason is logged and recorded.
    """
    record: dict[str, Any] = {"copies_per_text": float(copies_per_text), "up_to_texts": AUGMENT_UP_TO,
                              "n_copies": 0, "kinds": {kind: 0 for kind in KINDS}, "skipped": None}
    if copies_per_text <= 0:
        record["skipped"] = "turned off (augment_copies=0)"
        return training, record
    n_copies = min(round(copies_per_text * training.num_rows), max(0, AUGMENT_UP_TO - training.num_rows))
    if n_copies <= 0:
        record["skipped"] = (f"the {training.num_rows:,} training texts reach {AUGMENT_UP_TO:,} already "
                             "(copies fill smaller corpora up to that many)")
        logger.info("No augmented copies: %s", record["skipped"])
        return training, record
    missing = [name for name in composite.names if name not in training.column_names]
    if missing:
        record["skipped"] = (f"the training data has no column for {missing}: its scores did not come from "
                             "generate_training_data, so copies could not be scored the same way")
        logger.info("No augmented copies: %s", record["skipped"])
        return training, record
    copies, counts = scored_copies(training, composite, copies_per_text=n_copies / training.num_rows, seed=seed,
                                   use_prompts=use_prompts)
    record["n_copies"] = sum(counts.values())
    record["kinds"] = counts
    return merge_copies(training, copies), record


def describe_copies(counts: dict[str, Any]) -> str:
    """``"2,400 copies: truncate 240, ..."`` for logs and the card."""
    total = sum(int(n) for n in counts.values())
    if not total:
        return "none"
    return f"{total:,} copies: " + ", ".join(f"{k} {int(n):,}" for k, n in counts.items() if n)
