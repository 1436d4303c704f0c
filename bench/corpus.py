"""A deterministic generator of Danish AL-project text, with the vocabulary and length of real reports.

``documents(n, seed)`` yields ``network.search.documents.Document`` objects: a title, a problem
statement of two to four sentences, a body of ten to thirty sentences over the AL cycle, facets
(school, tools, focus areas, year) and now and then the text of an attached report.
"""

import datetime as dt
import random
import typing as t

from network.search.documents import Document

SUBJECTS = (
    "lærerne",
    "eleverne",
    "lærerteamet",
    "ledelsen",
    "lederteamet",
    "kontaktlærerne",
    "faglærerne",
    "praktikstederne",
    "de nye lærere",
    "studievejlederne",
    "holdet",
    "afdelingen",
    "vi",
    "jeg",
)
VERBS = (
    "oplever",
    "arbejder med",
    "mangler",
    "savner",
    "afprøver",
    "drøfter",
    "reflekterer over",
    "styrker",
    "udvikler",
    "evaluerer",
    "planlægger",
    "tager ansvar for",
    "deler",
    "følger op på",
)
OBJECTS = (
    "motivationen",
    "fastholdelsen",
    "feedbacken",
    "læringsmiljøet",
    "samarbejdet",
    "de pædagogiske metoder",
    "den sproglige dimension",
    "progressionen",
    "trivslen",
    "fraværet",
    "undervisningens kvalitet",
    "klasserumsledelse",
    "elevsamtalerne",
    "overgangen til hovedforløbet",
    "de faglige mål",
    "den helhedsorienterede undervisning",
    "kollegial observation",
    "kompetenceudviklingen",
    "praktikken",
    "værkstedsundervisningen",
    "teamsamarbejdet",
    "skemalægningen",
    "evalueringen",
)
QUALIFIERS = (
    "i hverdagen",
    "på grundforløbet",
    "i de første uger",
    "på tværs af afdelingerne",
    "i værkstedet",
    "efter reformen",
    "sammen med virksomhederne",
    "på teammøderne",
    "i EUX-klasserne",
    "uden ekstra ressourcer",
    "med tydelige mål",
    "gennem korte samtaler",
    "hver fjortende dag",
    "i samarbejde med studievejledningen",
    "på hovedforløbet",
    "i det daglige",
    "med anerkendelse",
)
CONNECTORS = (
    "Derfor",
    "Samtidig",
    "Efterfølgende",
    "I praksis",
    "Til at begynde med",
    "Over tid",
    "Bagefter",
)
TITLE_HEADS = (
    "Motivation",
    "Fastholdelse",
    "Feedback",
    "Synlig ledelse",
    "Læringsmiljø",
    "Samarbejde",
    "Progression",
    "Trivsel",
    "Fravær",
    "Klasserumsledelse",
    "Elevsamtaler",
    "Kompetenceudvikling",
    "Praktiksamarbejde",
    "Helhedsorienteret undervisning",
    "Sproglig dimension",
    "Refleksion",
)
SCHOOLS = tuple(f"Erhvervsskole {n}" for n in range(1, 24))
TOOLS = ("motivation", "holistic", "progressive", "language", "leadership")
FOCUS = (
    "role_model",
    "direction",
    "clear_methods",
    "appreciative",
    "learning_environment",
    "visible",
    "teacher_competences",
    "support_teachers",
)


# Compound nouns, as Danish forms them, give a vocabulary of a few thousand words; drawn with a
# Zipf-like law (a few words everywhere, most words rare), like the words of real reports.
PREFIXES = (
    "elev",
    "lærer",
    "praktik",
    "fag",
    "skole",
    "team",
    "leder",
    "undervisnings",
    "værksteds",
    "lærings",
    "trivsels",
    "fraværs",
    "feedback",
    "evaluerings",
    "kompetence",
    "samarbejds",
    "forældre",
    "virksomheds",
    "mentor",
    "kontakt",
    "hold",
    "afdelings",
    "opgave",
    "projekt",
    "refleksions",
    "observations",
    "møde",
    "mål",
    "kvalitets",
    "udviklings",
    "tilrettelæggelses",
    "vejlednings",
    "introduktions",
    "eksamens",
    "prøve",
    "sprog",
    "læse",
    "skrive",
    "regne",
    "motivations",
)
SUFFIXES = (
    "samtale",
    "plan",
    "forløb",
    "møde",
    "mål",
    "gruppe",
    "miljø",
    "kultur",
    "ansvar",
    "evaluering",
    "praksis",
    "opgave",
    "indsats",
    "strategi",
    "model",
    "rolle",
    "tid",
    "værktøj",
    "skema",
    "rapport",
    "dag",
    "uge",
    "proces",
    "beskrivelse",
    "aftale",
    "udvikling",
    "kompetence",
    "metode",
    "niveau",
    "erfaring",
    "forståelse",
    "sparring",
    "ordning",
    "team",
    "kursus",
    "logbog",
    "portfolio",
    "besøg",
)
VOCABULARY = tuple(p + s for p in PREFIXES for s in SUFFIXES)


def _zipf_weights(n: int, exponent: float = 1.05) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, n + 1)]


_shuffled = list(VOCABULARY)
random.Random(7).shuffle(_shuffled)
VOCABULARY = tuple(_shuffled)
_WEIGHTS = _zipf_weights(len(VOCABULARY))


def term(rng: random.Random) -> str:
    return rng.choices(VOCABULARY, weights=_WEIGHTS)[0]


def sentence(rng: random.Random) -> str:
    subject, verb = rng.choice(SUBJECTS), rng.choice(VERBS)
    rest = f"{rng.choice(OBJECTS)} {rng.choice(QUALIFIERS)}"
    if rng.random() < 0.8:
        rest = f"{term(rng)} og {term(rng)} {rng.choice(QUALIFIERS)}"
    if rng.random() < 0.3:  # Danish word order: after a leading adverbial the verb comes second
        finite, _sep, particle = verb.partition(" ")
        text = f"{rng.choice(CONNECTORS)} {finite} {subject} {particle} {rest}".replace("  ", " ")
    else:
        text = f"{subject} {verb} {rest}"
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, low: int, high: int) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def documents(n: int, seed: int = 2016) -> t.Iterator[Document]:
    """n documents, the same on every run for the same seed."""
    rng = random.Random(seed)
    base = dt.datetime(2013, 1, 1, tzinfo=dt.UTC)
    for i in range(1, n + 1):
        head = rng.choice(TITLE_HEADS)
        title = f"{head} {rng.choice(QUALIFIERS)}"
        date = base + dt.timedelta(days=rng.randint(0, 4 * 365))
        attachments = []
        if rng.random() < 0.1:
            attachments.append((f"rapport-{i}.pdf", paragraph(rng, 20, 40)))
        yield Document(
            kind="project" if rng.random() < 0.7 else "case",
            object_id=i,
            title=title,
            problem=paragraph(rng, 2, 4),
            body=paragraph(rng, 10, 30),
            attachments=attachments,
            school=rng.choice(SCHOOLS),
            tools=rng.sample(TOOLS, rng.randint(1, 2)),
            focus=rng.sample(FOCUS, rng.randint(1, 3)),
            year=date.year,
            date=date,
            author="",
            status="completed",
        )
