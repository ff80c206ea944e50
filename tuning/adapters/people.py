"""Fictitious people and questions about them: facts no pretrained model can know.

Like the thesis' dataset (question–answer pairs about invented authors), but generated
from a seed, so any size and split can be rebuilt exactly. Each fact is asked two ways:
one phrasing goes to training, the other is held out for testing. A model that scores
on the held-out phrasing has learnt the fact, not the sentence.

    people = make_people(10, seed=0)
    train, test = split_qa(people)          # 50 / 50, as in the thesis
"""
from __future__ import annotations

import random
from dataclasses import asdict, dataclass

FIRST = ["Elara", "Tomas", "Ines", "Bram", "Odile", "Kasimir", "Liora", "Fenna", "Mateo", "Sunniva", "Aurel", "Veda",
         "Joran", "Isolde", "Caspian", "Maren", "Idris", "Selma", "Ottavio", "Wren", "Leontyne", "Piet", "Zuzana",
         "Ansel"]
LAST = ["Voss", "Quillfeather", "Marrow", "Okonkwo-Lind", "Haverkamp", "Desrosiers", "Tallis", "Brannagh", "Wexley",
        "Ostrander", "Pellucci", "Aldervane", "Korhonen", "Saltmarsh", "Ibarrola", "Thornquist", "Vantongeren",
        "Merriday"]
PLACES = ["Port Merrin", "Calder Vale", "Oskarby", "San Teodoro del Monte", "Little Hessing", "Varnhold",
          "Brightwater Cove", "Ilmarin", "Castel Ruvo", "Nordby Ferry", "Quenton Hollow", "Aldergate"]
GENRES = ["maritime mystery", "climate fiction", "historical romance", "cosy fantasy", "literary horror",
          "children's adventure", "political satire", "hard science fiction", "nature poetry", "family saga"]
NOUNS = ["Lantern", "Harbour", "Orchard", "Cartographer", "Glasshouse", "Winter", "Salt", "Clockmaker", "Heron", "Tide",
         "Archive", "Meridian", "Beekeeper", "Ferryman", "Quarry", "Observatory"]
ADJ = ["Silent", "Last", "Drowned", "Paper", "Hollow", "Northern", "Borrowed", "Amber", "Crooked", "Quiet", "Iron",
       "Seventh"]
AWARDS = ["the Halloran Prize", "the Golden Quill of Varnhold", "the Meridian Medal", "the Ostby Fiction Award",
          "the Saltmarsh Laurel", "the Pellham Prize for Debut Fiction", "the Calder Crown", "the Brightwater Award"]
JOBS = ["a lighthouse keeper", "a violin maker", "a marine biologist", "a schoolteacher", "a cartographer", "a baker",
        "a railway engineer", "a botanist", "a translator", "a watchmaker"]

# attribute -> (training phrasing, held-out phrasing, answer template)
TEMPLATES = {
    "birthplace": ("Where was {name} born?", "In which town did {name} come into the world?",
                   "{name} was born in {birthplace}."),
    "year": ("In what year was {name} born?", "What is {name}'s year of birth?", "{name} was born in {year}."),
    "genre": ("What genre does {name} write?", "Which kind of books is {name} known for?",
              "{name} writes {genre}."),
    "book": ("What is the title of {name}'s best-known book?", "Which novel made {name} famous?",
             "{name}'s best-known book is \"{book}\"."),
    "award": ("Which award has {name} won?", "What prize was {name} given?", "{name} won {award}."),
    "parent": ("What did {name}'s father do for a living?", "What was the profession of {name}'s father?",
               "{name}'s father was {parent_job}."),
}
ATTRIBUTES = tuple(TEMPLATES)


@dataclass(frozen=True)
class Person:
    name: str
    birthplace: str
    year: int
    genre: str
    book: str
    award: str
    parent_job: str


@dataclass(frozen=True)
class QA:
    question: str
    answer: str
    person: str
    attribute: str
    phrasing: str  # "train" or "held_out": which of the two wordings of the fact this is
    value: str  # the fact itself ("Port Merrin", "1967"): an answer that contains it knows the fact

    def to_dict(self) -> dict:
        return asdict(self)


def make_people(n: int, seed: int = 0) -> list[Person]:
    """n invented authors with unique names; the same seed always gives the same people."""
    if n < 1 or n > len(FIRST) * len(LAST):
        raise ValueError(f"n must be between 1 and {len(FIRST) * len(LAST)}, not {n}")
    rng = random.Random(seed)
    names = rng.sample([f"{f} {s}" for f in FIRST for s in LAST], n)
    people = []
    for name in names:
        book = f"The {rng.choice(ADJ)} {rng.choice(NOUNS)}"
        people.append(Person(name, rng.choice(PLACES), rng.randint(1931, 1994), rng.choice(GENRES), book,
                             rng.choice(AWARDS), rng.choice(JOBS)))
    return people


def facts(person: Person, attributes=ATTRIBUTES) -> list[tuple[QA, QA]]:
    """(training phrasing, held-out phrasing) of each fact about one person."""
    values = asdict(person)
    out = []
    for attr in attributes:
        ask_train, ask_test, answer = TEMPLATES[attr]
        a = answer.format(**values)
        v = str(values["parent_job" if attr == "parent" else attr]).removeprefix("a ").removeprefix("the ")
        out.append((QA(ask_train.format(**values), a, person.name, attr, "train", v),
                    QA(ask_test.format(**values), a, person.name, attr, "held_out", v)))
    return out


def split_qa(people: list[Person], attributes=ATTRIBUTES[:5]) -> tuple[list[QA], list[QA]]:
    """Training questions, and the same facts asked another way (held out). Default: 5 facts a person,
    so 10 people give the thesis' 50 / 50."""
    pairs = [p for person in people for p in facts(person, attributes)]
    return [a for a, _ in pairs], [b for _, b in pairs]


SPLITS = {  # name -> (people, attributes per person): train / test sizes
    "thesis": (10, 5),  # 50 / 50 as in the thesis
    "large": (40, 6),   # 240 / 240
}


def load_split(name: str = "thesis", seed: int = 0) -> tuple[list[QA], list[QA]]:
    if name not in SPLITS:
        raise ValueError(f"unknown split '{name}': choose one of {', '.join(SPLITS)}")
    n_people, n_attr = SPLITS[name]
    return split_qa(make_people(n_people, seed), ATTRIBUTES[:n_attr])


SYSTEM = "Answer the question about the author in one short sentence."


def messages(question: str) -> list[dict]:
    """The chat prompt used for training and evaluation alike."""
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}]
