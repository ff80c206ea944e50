"""The constraints suite: prompts with 1–3 machine-checkable constraints and their ground truth.

Each prompt is a base request (a task on a topic) plus constraint sentences. Every constraint
sentence comes with the constraint it states, so the ground truth is known by construction and
the engine's own extraction from the prompt text can be measured against it. Phrasings vary
(number words, synonyms, word order) and some are deliberately not the engine's favourite
wording. Seeded: `python -m irg.evaluation.suites build` rewrites assets/suites/constraints.jsonl exactly.
"""
from __future__ import annotations

import random

from irg.engine.registry import Registry

TASKS = ["Write a short poem about {t}.", "Describe {t}.", "Write a short story about {t}.", "Explain {t} to a child.",
         "Write a blog post introduction about {t}.", "Give advice to someone who wants to learn about {t}.",
         "Write a short email to a friend about {t}.", "Write a product description inspired by {t}.",
         "Write a diary entry about {t}.", "Write a short speech about {t}.", "Tell me some facts about {t}.",
         "Write a letter to your neighbour about {t}."]
TOPICS = ["the ocean", "a busy city", "winter mornings", "a lost cat", "the moon", "a mountain village", "coffee",
          "a rainy day", "bicycles", "a school library", "volcanoes", "a garden in spring", "trains", "friendship",
          "a birthday party", "the desert", "honeybees", "a thunderstorm", "old castles", "the night sky",
          "a football match", "a bakery", "penguins", "a long journey", "music", "recycling", "a robot",
          "the forest", "a lighthouse", "healthy breakfasts"]
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 8: "eight", 10: "ten", 20: "twenty",
                25: "twenty-five", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty", 80: "eighty",
                100: "one hundred"}
KEYWORDS = ["river", "golden", "quiet", "journey", "bright", "window", "morning", "secret", "garden", "silver",
            "laughter", "storm", "paper", "island", "candle", "bridge", "shadow", "whisper", "orange", "harbor"]
FORBIDDEN = ["very", "really", "good", "nice", "thing", "beautiful", "big", "happy", "amazing", "great",
             "the sun", "blue"]
YES_NO = ["Is it a good idea to drink water every day?", "Can penguins fly?", "Is the sun a star?",
          "Should children learn to swim?", "Is chocolate a vegetable?", "Do plants need light to grow?",
          "Is it safe to touch a hot stove?", "Are whales fish?", "Is reading good for the brain?",
          "Can a bicycle run without wheels?"]
QUESTIONS = ["What is the capital of Spain?", "Why is the sky blue?", "How do bees make honey?",
             "What does a librarian do?", "How does a rainbow form?", "What is a volcano?", "Why do we need sleep?",
             "What is the tallest animal?", "How do trains stay on their tracks?", "What is recycling?"]


def _num(rng: random.Random, n: int) -> str:
    """The number as digits or, half the time if it has one, as a word."""
    return NUMBER_WORDS[n] if n in NUMBER_WORDS and rng.random() < 0.5 else str(n)


# Each maker returns (sentence, gold constraint dict). `group` tags keep incompatible constraints apart.
def c_lowercase(rng):
    return rng.choice(["Your entire response should be in all lowercase letters.",
                       "Write everything in lowercase letters only; no capital letters are allowed.",
                       "Use all lowercase letters."]), {"kind": "lowercase"}


def c_uppercase(rng):
    return rng.choice(["Your entire response should be in all capital letters.",
                       "Write your whole answer IN ALL CAPITAL LETTERS.",
                       "Your answer must be in all capital letters."]), {"kind": "uppercase"}


def c_capital_words(rng):
    n = rng.choice([2, 3, 4])
    return (f"In your response, words with all capital letters should appear at least {_num(rng, n)} times.",
            {"kind": "capital_word_frequency", "rel": "at_least", "n": n})


def c_no_commas(rng):
    return rng.choice(["Do not use any commas in your response.", "Refrain from using any commas.",
                       "Your answer must not contain any commas."]), {"kind": "no_commas"}


def c_letter(rng):
    letter, n = rng.choice("abdelmnorst"), rng.choice([5, 8, 10])
    return (f"The letter {letter} should appear at least {_num(rng, n)} times in your response.",
            {"kind": "letter_frequency", "letter": letter, "rel": "at_least", "n": n})


def c_words(rng):
    rel, n = rng.choice([("less_than", 30), ("less_than", 40), ("less_than", 50), ("at_least", 60), ("at_least", 80),
                         ("at_most", 50), ("at_least", 100), ("more_than", 40)])
    text = {"less_than": rng.choice(["Answer in fewer than {n} words.", "Use less than {n} words."]),
            "at_least": rng.choice(["Your response should contain at least {n} words.", "Write at least {n} words."]),
            "at_most": "Use at most {n} words.", "more_than": "Your answer must be more than {n} words long."}[rel]
    return text.format(n=_num(rng, n)), {"kind": "word_count", "rel": rel, "n": n}


def c_sentences(rng):
    rel, n = rng.choice([("exactly", 2), ("exactly", 3), ("at_least", 4), ("less_than", 4), ("at_most", 3)])
    word = {"exactly": "exactly", "at_least": "at least", "less_than": "fewer than", "at_most": "at most"}[rel]
    return (f"Your response should contain {word} {_num(rng, n)} sentences.",
            {"kind": "sentence_count", "rel": rel, "n": n})


def c_paragraphs(rng):
    n = rng.choice([2, 3])
    return (f"There should be {_num(rng, n)} paragraphs. Paragraphs are separated with the markdown divider: ***",
            {"kind": "paragraph_count", "n": n, "separator": "***"})


def c_bullets(rng):
    n = rng.choice([2, 3, 4, 5])
    return (rng.choice([f"Your answer must contain exactly {_num(rng, n)} bullet points. "
                        "Use markdown bullet points such as: * This is a point.",
                        f"Give exactly {_num(rng, n)} bullet points."]),
            {"kind": "bullet_count", "rel": "exactly", "n": n})


def c_sections(rng):
    n = rng.choice([2, 3])
    return (f"Your response must have {_num(rng, n)} sections. Mark the beginning of each section with SECTION X.",
            {"kind": "sections", "n": n, "marker": "SECTION"})


def c_highlights(rng):
    n = rng.choice([1, 2, 3])
    return (f"Highlight at least {n} sections in your answer with markdown, i.e. *highlighted section*.",
            {"kind": "highlighted_sections", "n": n})


def c_placeholders(rng):
    n = rng.choice([1, 2, 3])
    return (f"The response must contain at least {n} placeholders represented by square brackets, such as [address].",
            {"kind": "placeholders", "n": n})


def c_json(rng):
    return rng.choice(["Wrap your entire output in JSON format.",
                       "Your entire output should be wrapped in JSON format. "
                       "You can use markdown ticks such as ```."]), {"kind": "json_format"}


def c_quotation(rng):
    return rng.choice(["Wrap your entire response with double quotation marks.",
                       "Put your whole answer inside double quotation marks."]), {"kind": "quotation"}


def c_title(rng):
    return ("Your answer must contain a title, wrapped in double angular brackets, such as <<poem of joy>>.",
            {"kind": "title"})


def c_postscript(rng):
    if rng.random() < 0.75:
        return ("At the end of your response, please explicitly add a postscript starting with P.S.",
                {"kind": "postscript", "marker": "P.S."})
    return ("At the end of your response, add a postscript starting with P.P.S",
            {"kind": "postscript", "marker": "P.P.S"})


def c_two_responses(rng):
    return ("Give two different responses. "
            "Responses and only responses should be separated by 6 asterisk symbols: ******.",
            {"kind": "two_responses"})


def c_include(rng):
    kws = rng.sample(KEYWORDS, rng.choice([1, 2]))
    text = " and ".join(f"'{k}'" for k in kws)
    return rng.choice([f"Include the keywords {text} in the response.", f"Make sure to use the words {text}."]), \
        {"kind": "include_keywords", "keywords": kws}


def c_forbidden(rng):
    ws = rng.sample(FORBIDDEN, rng.choice([1, 2]))
    text = " or ".join(f"'{w}'" for w in ws)
    return rng.choice([f"Do not include the words {text} in the response.", f"Avoid the words {text}."]), \
        {"kind": "forbidden_words", "words": ws}


def c_keyword_freq(rng):
    w, n = rng.choice(KEYWORDS), rng.choice([2, 3])
    return (f"The word {w} should appear at least {_num(rng, n)} times.",
            {"kind": "keyword_frequency", "word": w, "rel": "at_least", "n": n})


def c_start(rng):
    w = rng.choice(["Yes", "Today", "Imagine", "Once", "Listen", "Hello"])
    return f"Start your response with the word '{w}'.", {"kind": "start_phrase", "phrase": w}


def c_end(rng):
    p = rng.choice(["Is there anything else I can help with?", "That is all for now.", "See you soon.",
                    "Thank you for reading."])
    return (f"Finish your response with this exact phrase '{p}'. No other words should follow this phrase.",
            {"kind": "end_phrase", "phrase": p})


def c_language(rng):
    lang = rng.choice(["French", "Spanish", "German"])
    return (f"Your ENTIRE response should be in {lang} language, no other language is allowed.",
            {"kind": "language", "language": lang.lower()})


# name: (maker, groups it belongs to); two constraints sharing a group never meet in one prompt. The order is the
# suite's: build() samples names in registration order, so a new maker goes last (the committed suite stays as built).
MAKERS: Registry = Registry("suite constraint maker")
MAKERS.register("lowercase", (c_lowercase, {"case", "phrase_case"}))
MAKERS.register("uppercase", (c_uppercase, {"case", "phrase_case"}))
MAKERS.register("capital_word_frequency", (c_capital_words, {"case"}))
MAKERS.register("no_commas", (c_no_commas, {"commas"}))
MAKERS.register("letter_frequency", (c_letter, {"letters"}))
MAKERS.register("word_count", (c_words, {"length"}))
MAKERS.register("sentence_count", (c_sentences, {"length", "shape"}))
MAKERS.register("paragraph_count", (c_paragraphs, {"shape"}))
MAKERS.register("bullet_count", (c_bullets, {"shape"}))
MAKERS.register("sections", (c_sections, {"shape"}))
MAKERS.register("highlighted_sections", (c_highlights, {"markup"}))
MAKERS.register("placeholders", (c_placeholders, {"markup"}))
MAKERS.register("json_format", (c_json, {"wrap", "shape", "start", "end", "markup"}))
MAKERS.register("quotation", (c_quotation, {"wrap", "start", "end"}))
MAKERS.register("title", (c_title, {"start", "markup"}))
MAKERS.register("postscript", (c_postscript, {"end"}))
MAKERS.register("two_responses", (c_two_responses, {"shape", "wrap"}))
MAKERS.register("include_keywords", (c_include, {"keywords"}))
MAKERS.register("forbidden_words", (c_forbidden, {"forbidden"}))
MAKERS.register("keyword_frequency", (c_keyword_freq, {"keywords"}))
MAKERS.register("start_phrase", (c_start, {"start", "phrase_case"}))
MAKERS.register("end_phrase", (c_end, {"end", "phrase_case", "commas"}))
MAKERS.register("language", (c_language, {"language", "keywords", "forbidden", "case", "start", "end"}))


def special_prompt(rng: random.Random, kind: str, yes_no=YES_NO, questions=QUESTIONS) -> tuple[str, list[dict]]:
    """The two types that shape the whole prompt: choose-from-options and repeat-the-request."""
    if kind == "choose_from":
        q = rng.choice(yes_no)
        opts = ["My answer is yes.", "My answer is no.", "My answer is maybe."]
        return (f"{q} Answer with one of the following options: ('{opts[0]}', '{opts[1]}', '{opts[2]}')",
                [{"kind": "choose_from", "options": opts}])
    q = rng.choice(questions)
    return (f"{q} First repeat the request word for word without change, then give your answer.",
            [{"kind": "repeat_request", "request": q}])


def build(n: int = 240, seed: int = 0, dev_share: float = 0.4, words: dict | None = None,
          prefix: str = "k") -> list[dict]:
    """The dev/test suite (the defaults rebuild assets/suites/constraints.jsonl). `words` swaps the requests
    (tasks, topics, yes_no, questions) for other lists: the train split below."""
    w = {"tasks": TASKS, "topics": TOPICS, "yes_no": YES_NO, "questions": QUESTIONS, **(words or {})}
    rng = random.Random(seed)
    names = list(MAKERS.names())
    rows: list[dict] = []
    for i in range(n):
        if i % 12 == 11:  # one prompt in twelve is a whole-prompt type
            prompt, gold = special_prompt(rng, "choose_from" if (i // 12) % 2 else "repeat_request", w["yes_no"],
                                          w["questions"])
        else:
            k = rng.choices([1, 2, 3], weights=[3, 4, 3])[0]
            chosen, groups = [], set()
            for name in rng.sample(names, len(names)):
                maker, g = MAKERS.get(name)
                if g & groups:
                    continue
                chosen.append(maker)
                groups |= g
                if len(chosen) == k:
                    break
            parts = [maker(rng) for maker in chosen]
            prompt = " ".join([rng.choice(w["tasks"]).format(t=rng.choice(w["topics"]))] + [s for s, _ in parts])
            gold = [c for _, c in parts]
        rows.append({"id": f"{prefix}{i:03d}", "prompt": prompt, "gold_constraints": gold})
    order = list(range(n))
    random.Random(seed + 1).shuffle(order)
    n_dev = round(n * dev_share)
    for rank, idx in enumerate(order):
        rows[idx]["split"] = "dev" if rank < n_dev else "test"
    return rows


# ---- the train split (issue 23): the same constraint sentences on requests the dev/test prompts never use ----
# Disjoint by construction: no task, topic or question below is in the lists above (tests/tuning/test_distill_loop.py
# checks it and that no train prompt equals a dev/test one), and another seed.
TRAIN_WORDS = {
    "tasks": ["Write a haiku sequence about {t}.", "Write a travel guide paragraph about {t}.",
              "Write a short review of {t}.", "Write a news report about {t}.", "Write a motivational note about {t}.",
              "Write a thank-you card that mentions {t}.", "Write a fable about {t}.",
              "Write a short essay on {t}.", "Write a radio advertisement about {t}.",
              "Write instructions for a class project about {t}.", "Describe a memory of {t}.",
              "Write a postcard from {t}."],
    "topics": ["a snowy forest", "a market on Saturday", "kites", "a harbour at dawn", "street food", "a museum visit",
               "a hiking trail", "an old bookshop", "tea", "a summer festival", "sailing", "a chess club",
               "the first day of school", "a science fair", "dolphins", "autumn leaves", "a farm", "a camping trip",
               "a snowman", "a painting class", "owls", "a city park", "the post office", "a picnic", "a river boat",
               "a pet hamster", "a windmill", "a bus ride", "a science museum", "gardening tools"],
    "yes_no": ["Is ice made of water?", "Can cats see in the dark?", "Should you wear a helmet on a bike?",
               "Is a tomato a fruit?", "Do fish sleep?", "Is it wise to skip breakfast every day?",
               "Are spiders insects?", "Can you hear sound in space?", "Is walking good exercise?",
               "Do trees grow in winter?"],
    "questions": ["What is the largest planet?", "How do magnets work?", "Why do leaves change colour?",
                  "What does a pilot do?", "How is paper made?", "What is a glacier?", "Why do cats purr?",
                  "How do birds find their way south?", "What is photosynthesis?", "How does a compass work?"],
}
TRAIN_SEED = 1001


def build_train(n: int = 800) -> list[dict]:
    """Composer prompts for training only (ids tr000...), split "train"."""
    return [{**r, "split": "train"} for r in build(n, TRAIN_SEED, dev_share=0.0, words=TRAIN_WORDS, prefix="tr")]
