"""``coherence``: word order - shuffled prose scores low, ordinary prose of every kind does not."""

from __future__ import annotations

import statistics

import pytest

from aligntune.data.corpus import load_bundled_corpus
from aligntune_rewards_basic import coherence_reward
from aligntune_rewards_basic import _order as order
from aligntune_rewards_basic.coherence import word_order_violations

# (fluent text, the same words shuffled)
SHUFFLED_PAIRS = [
    (
        "If you have not pushed yet, run git reset --soft HEAD~1 to undo the commit and keep the changes "
        "staged. If it is already pushed, use git revert HEAD instead.",
        "not HEAD~1 changes the yet, If git git instead. commit If use it have staged. pushed already run to "
        "is --soft HEAD and keep reset you the pushed, undo revert",
    ),
    (
        "Sorry, I don't know the answer to that. I'd look it up in the official documentation, or ask someone "
        "who has used the library before.",
        "it has before. used library answer the the or look up ask Sorry, that. I to in who official "
        "documentation, know I'd don't someone the",
    ),
    (
        "Water the basil when the top inch of soil is dry. Keep it on a sunny windowsill and pinch off the "
        "flowers so the leaves stay tender.",
        "when the and sunny Water leaves the of a windowsill off the it pinch dry. on so tender. inch soil is "
        "flowers top Keep stay basil the",
    ),
    (
        "The French Revolution began in 1789. Financial crisis and bread shortages pushed the Third Estate to "
        "act, and within weeks the Bastille had fallen.",
        "Financial act, Bastille Estate French 1789. weeks shortages bread Third fallen. the began and the had "
        "The Revolution to pushed in and within crisis",
    ),
    (
        "Thanks for asking! The quickest fix is to restart the router. If that does not help, check the cables "
        "and call your provider.",
        "provider. your If does router. for cables fix and call not the restart is Thanks check asking! "
        "quickest help, that The the to",
    ),
    (
        "Photosynthesis is how plants turn light into chemical energy. Chlorophyll absorbs sunlight, and the "
        "plant uses that energy to make sugar from water and carbon dioxide.",
        "how absorbs turn and Chlorophyll the dioxide. water to carbon into plants energy uses from light is "
        "chemical plant Photosynthesis that sugar sunlight, and energy. make",
    ),
    (
        "An inner join returns only the rows that match in both tables. A left join keeps every row from the "
        "first table and fills the gaps with nulls.",
        "every the row nulls. the join left and in fills rows returns A that first table both tables. the with "
        "only An inner match keeps join from gaps",
    ),
    (
        "On day one, visit the Colosseum and the Roman Forum. On day two, see the Vatican Museums and St "
        "Peter's Basilica. Wear comfortable shoes.",
        "Colosseum St comfortable Vatican the the shoes. Wear and Peter's see Museums Roman On Forum. day visit "
        "and one, day Basilica. two, the On",
    ),
    (
        "I'm not sure. It depends on your budget, but I'd start with the cheaper model and upgrade later if "
        "you need more power.",
        "upgrade I'd and later on start more cheaper power. I'm if model but need It you sure. not your "
        "depends the with budget,",
    ),
    (
        "Rehearse out loud at least three times. Then time yourself, slow down, and pause after the important "
        "points.",
        "at yourself, times. important and least pause out Then the three Rehearse slow points. loud time "
        "down, after",
    ),
    (
        "Sure, I'd be glad to help. That's a great question! The short answer is yes.",
        "I'd great The glad be a question! That's help. to Sure, short answer is. yes",
    ),
    (
        "Let your child choose the books.",
        "choose books. child Let the your",
    ),
]


@pytest.mark.parametrize("fluent,shuffled", SHUFFLED_PAIRS, ids=[p[0][:30] for p in SHUFFLED_PAIRS])
def test_shuffled_prose_scores_below_the_original(fluent, shuffled):
    good, bad = coherence_reward().score([fluent, shuffled])
    assert good >= 0.9, good
    assert bad < 0.8 and good - bad >= 0.25, (good, bad)


def test_examples_from_the_bug_report_score_low():
    texts = [
        "is commit if to want already HEAD~1 commit it. reset changes --soft reset revert If create only that "
        "run HEAD~1 the undoes git all. git --hard If you That the completely. keep you staged. have undo run "
        "yet, and the to a HEAD not pushed away new changes the to pushed, throw Use is commit git",
        "I'd that answer it. somewhere be through a luck! idea, I'm up not I rather it question. I helps, I'd "
        "you'll know. but they do not provide with Sorry, else. you I I No Sure, that.",
    ]
    assert max(coherence_reward().score(texts)) <= 0.5


# Ordinary text that must raise no word-order violation and keep a high score.
NOT_SHUFFLED = [
    # commands and code
    "Run `git reset --soft HEAD~1` to undo the last commit but keep your changes staged.",
    "If you have not pushed yet, run git reset --soft HEAD~1. Then check the result with git status.",
    "git reset --soft HEAD~1\ngit status\ngit log --oneline",
    "Call requests.get(url).json() to fetch the data. Then print it.",
    "In Python, use list(dict.fromkeys(items)) to drop duplicates. It keeps the first occurrence.",
    "Set DEBUG=True in settings.py. Then restart the server with python manage.py runserver.",
    "Call it once. foo() returns None. x_1 is the first value.",
    "Use the --force flag only if you know what you are doing. Otherwise run npm install first.",
    "def add(a, b):\n    return a + b\n\nprint(add(1, 2))",
    "Return a random integer in the range [a, b], including both end points.",
    # lists and headings
    "Ingredients:\n- 2 eggs\n- 1 cup flour\n- a pinch of salt\n\nSteps:\n1. Whisk the eggs.\n2. Add the flour.",
    "Pros: fast, cheap, reliable. Cons: loud, heavy.",
    "## Installation\n\nRun pip install aligntune. Then import it in Python.\n\n## Usage\n\nCall the score method.",
    "How To Choose A Laptop For Programming",
    "Step 1: Open the app. Step 2: Tap Settings. Step 3: Choose Account.",
    "format    Use the given format string.\nlevel     If set, the root logger uses this level.",
    # names, acronyms, titles, abbreviations
    "Use SQL for the reports and Python for the ETL jobs. The API returns JSON, so parse it with json.loads().",
    "On day one, visit the Colosseum, the Roman Forum and the Palatine Hill. On day two, see St Peter's "
    "Basilica and the Sistine Chapel.",
    "The Lord of the Rings was written by J.R.R. Tolkien. I read it in the summer of 2003.",
    "Meet me at 5 p.m. tomorrow, e.g. at the cafe near Central Park. Bring the report, etc. and we'll go "
    "through it.",
    "The meeting is on Tuesday at 10 a.m. in Room 4B. Please bring your laptop.",
    "Dr. Smith and Mrs. Jones met the CEO of IBM in New York on Monday.",
    "My favourite books are Dune, Neuromancer and The Left Hand of Darkness.",
    "Visit The Hague, then take the train to Amsterdam. The Rijksmuseum is worth a day.",
    "Update iOS first. iPhone users can then restart. eBay sellers are not affected.",
    "In May we moved to Will Street. One day I'll go back.",
    "Hi Sarah, thanks for the update. The report looks good to me. Can you send it to Mark and Julia by "
    "Friday?",
    "We use PostgreSQL, Redis and Kafka. The Kafka cluster runs on AWS in the EU.",
    'She said, "We should take the left turn." Then she hung up.',
    # short answers, chat and questions
    "Yes.",
    "No, thanks.",
    "Sure!",
    "I think so.",
    "lol yeah. that was wild. see you tomorrow",
    "ok thanks. will try that tonight and let you know",
    "Thanks. sounds good. see you then",
    "Thanks! I'll try it tonight. If it works, I'll let you know.",
    "Hey! How are you? I'm good, thanks. Did you see the game last night? Crazy ending.",
    "What did you fix it with? Which one are you talking about? Who is it for?",
    "It depends on what you want it for. Turn it on. Log in. Then check what it is.",
    "I'm sorry, but I can't help with that. I'd rather not answer that. I don't know.",
    "Sure thing! Honestly, I'd go with the blue one. It's cheaper, and it looks nicer too.",
    "Is it yours or mine? It is my and your responsibility.",
    "To be or not to be, that is the question.",
]


@pytest.mark.parametrize("text", NOT_SHUFFLED, ids=[t[:30] for t in NOT_SHUFFLED])
def test_ordinary_text_has_no_word_order_violations(text):
    assert word_order_violations(text) == (0, 0)
    assert coherence_reward().score([text])[0] >= 0.8


def test_one_lower_case_slip_is_forgiven():
    text = "Install Node. Then run the installer. npm will download everything you need."
    assert word_order_violations(text) == (0, 0)


def test_truncated_text_is_not_a_word_order_violation():
    # generation cut off at a token limit ends mid-clause; that is not shuffling
    assert word_order_violations("Thanks for asking! A good editor replaces a clear plan,") == (0, 0)


def test_violation_kinds_are_counted():
    assert word_order_violations("you That the commit is staged.")[0] == 1  # capitalised glue mid-sentence
    assert word_order_violations("Keep your. Then go and.")[0] == 2  # sentence ends in "your" / "and"
    assert word_order_violations("Pick the, then stop.")[0] == 1  # article before a comma
    # lower-case sentence starts count once the text shows it capitalises sentences
    assert word_order_violations("It works. Then stop. the end. and more. so there.")[1] == 3
    assert word_order_violations("it works. then stop. the end. and more.")[1] == 0  # all lower case


def test_possessive_followed_by_an_article_lowers_the_score():
    good, bad = coherence_reward().score(
        [
            "Please send your report to the team before the meeting.",
            "Please send your the report to team before a meeting.",
        ]
    )
    assert good > bad


def _figures(seed: int) -> dict[str, tuple[float, float]]:
    corpus = load_bundled_corpus(1200, seed=seed)
    scores = coherence_reward().score(list(corpus.texts))
    by: dict[str, list[float]] = {}
    for label, score in zip(corpus.labels, scores):
        by.setdefault(label["coherence"], []).append(score)
    return {k: (statistics.mean(v), sum(s >= 0.9 for s in v) / len(v)) for k, v in by.items()}


@pytest.mark.parametrize("seed", [0, 1])
def test_bundled_corpus_separates_shuffled_from_coherent(seed):
    figures = _figures(seed)
    mean, high = figures["shuffled"]
    assert mean <= 0.55 and high <= 0.10, figures
    mean, high = figures["coherent"]
    assert mean >= 0.92 and high >= 0.85, figures
    mean, high = figures["salad"]
    assert mean <= 0.6 and high <= 0.10, figures


def _reference_word_order(text: str) -> tuple[int, int]:
    """The token-by-token reading that ``_order`` replaced (kept here to compare with)."""
    strong = 0
    capitalises = 0
    low_after_stop = 0
    text_start = True
    for line in order._COLUMN_BREAK.split(text) if "  " in text or "\t" in text else text.split("\n"):
        prev_ended = True  # the previous chunk ended a sentence (or this is a line start)
        prev_stop = text_start  # ... with . ! or ? (not an abbreviation), or starts the text
        prev_lower = False  # the previous chunk starts with a lower-case letter
        prev_name_slot = False  # the previous chunk often precedes a name: "the", "of"
        pending = False  # a capitalised function word: counts if a lower-case word follows
        for chunk in line.split():
            core = chunk.lstrip(order._OPENERS)
            first = core[:1]
            if pending:
                strong += first.islower()
                pending = False
            if first:
                if prev_ended:
                    if prev_stop:
                        if first.islower():
                            low_after_stop += order._PLAIN_LOWER.match(core) is not None
                        elif first.isupper() and not text_start:
                            m = order._WORD_CORE.match(core)
                            capitalises += m is None or m.group().lower() not in order._I_FORMS
                elif prev_lower and first.isupper() and len(core) == len(chunk):  # not '"We' or "(The"
                    m = order._WORD_CORE.match(core)
                    if m is not None:
                        w = m.group()
                        if w[1:].islower() and w.lower() not in order._I_FORMS:
                            capitalises += 1
                            # a bare word, not after "the"/"of" ("the Never type", "instances of Any")
                            pending = len(w) == len(core) and not prev_name_slot and w.lower() in order._CAPITAL_GLUE
                            # a sentence opener with its comma mid-sentence: "...the Also, cat"
                            strong += core == w + "," and w.lower() in order._OPENERS_WITH_COMMA
            text_start = False
            tail = chunk.rstrip(order._CLOSERS)
            last = tail[-1:]
            prev_stop = False
            prev_ended = last in order._ENDERS
            if prev_ended:
                if last != ":":
                    word = tail.rstrip(".!?").lstrip(order._OPENERS)
                    low = word.lower()
                    if low in (order._NOT_BEFORE_STOP if last == "?" else order._NOT_BEFORE_FULL_STOP):
                        strong += 1
                    prev_stop = not (
                        "." in word or low in order._ABBREVIATIONS or tail.endswith("..") or not word[-1:].isalpha()
                    )
            elif last == "," and tail[:-1].lower() in order._NOT_BEFORE_COMMA:  # not "[a, b]"
                strong += 1
            prev_lower = first.islower() and len(tail) == len(chunk)  # not "only)"
            prev_name_slot = chunk in order._NAME_SLOTS
    # Without a strong violation a single slip is forgiven ("...install Node. npm will...").
    if strong or (capitalises and low_after_stop > 1):
        weak = low_after_stop
    else:
        weak = 0
    return strong, weak


def test_fast_word_order_reading_matches_the_token_by_token_one():
    """``_order`` skips plain lower-case words in bulk; the counts must not change."""
    import random

    rng = random.Random(3)
    pieces = (
        "the a of and your The Also, Then, however Finally, i I'm cat dog. plant, Never He she. We \"We (The "
        "only) x_1 npm.install() e.g. 1. etc. p.m. ... ? ! : ; your. and. an, the, caf\u00e9 \u201cSo\u201d "
        "IT'S \n \t"
    ).split(" ")
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    texts += load_bundled_corpus(300).texts + [p for pair in SHUFFLED_PAIRS for p in pair]
    for text in texts:
        assert word_order_violations(text) == _reference_word_order(text), text
