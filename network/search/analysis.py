"""Danish text analysis shared by both backends, the queries and the benchmarks.

Words are lowercased, stop words dropped, then folded (æ→ae, ø→oe, å→aa, other accents removed)
and only then stemmed with Snowball Danish. Folding before stemming at index and query time makes
``laerer``, ``lærer``, ``lærerne`` and ``lærernes`` one term, and ``aa`` match ``å``.

Beside each word's own term the index holds, with a lower weight, the terms of its compound's
parts ("fraværsregistrering": fravær, registrering) and of the words it is derived from
("evaluering": evaluere), found with the Danish dictionary (network/search/morphology.py). A query
word asks for its own term, those of its derivations and of the network's synonyms
(network/search/synonyms.py), and, for a compound, all its parts: each with a lower weight than
the word as typed, so the exact word ranks first. Whoosh (the analyzer below) and PostgreSQL
(``indexed_words``, ``query_alternatives``) get their terms from the same functions here.
"""

import functools
import re
import typing as t
import unicodedata

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.acore import Token
from whoosh.lang import stemmer_for_language, stopwords_for_language

from network.search import synonyms
from network.search.morphology import derived_from, split_compound

_DIGRAPHS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
WORD_PATTERN = r"\w+(?:[-']\w+)*"
MAX_SPELLING_WORD = 60  # longer "words" are ids, URLs or noise, not something to suggest
MAX_EXPANDED_WORD = 60  # longer "words" are not split or related to others (ids, URLs, noise)
PART_WEIGHT = 0.5  # a compound's part, beside the whole word (weight 1)
DERIVED_WEIGHT = 0.5  # the word a derivation or inflection comes from
SYNONYM_WEIGHT = 0.4  # another word of the word's group in synonyms.txt (query only)
SENTENCE_END = re.compile(r"[.!?:;\n•]")
_WORDS = re.compile(WORD_PATTERN)


def fold(text: str) -> str:
    """æ→ae, ø→oe, å→aa and other accents dropped (é→e), keeping the case."""
    text = text.translate(_DIGRAPHS)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def stopwords() -> frozenset[str]:
    words = set(stopwords_for_language("da"))
    return frozenset(words | {fold(w) for w in words})


_stem = stemmer_for_language("da")


@functools.lru_cache(maxsize=50_000)
def normalize_word(word: str) -> str:
    """One lowercased word as the index stores it: folded, then stemmed."""
    return _stem(fold(word))


class Word(t.NamedTuple):
    text: str  # as written
    start: int
    end: int
    name: bool  # capitalised inside a sentence: Danish capitalises names, not nouns


def words(text: str) -> t.Iterator[Word]:
    """The words of a text, each marked when it looks like a name (never split or related to others)."""
    previous_end, sentence_start = 0, True
    for match in _WORDS.finditer(text):
        if SENTENCE_END.search(text, previous_end, match.start()):
            sentence_start = True
        word = match.group()
        yield Word(word, match.start(), match.end(), word[0].isupper() and not sentence_start)
        previous_end, sentence_start = match.end(), False


@functools.lru_cache(maxsize=50_000)
def expansions(word: str, name: bool = False) -> tuple[tuple[str, float], ...]:
    """The terms indexed beside a lowercased word's own, with their weights: its parts and its sources.

    "fraværsregistreringen" → (frava, 0.5), (registrering, 0.5), (registrer, 0.25); a name only
    by its hyphens ("Lyngby-Taarbæk"), never by the dictionary.
    """
    folded = fold(word)
    if len(folded) > MAX_EXPANDED_WORD:
        return ()
    own = _stem(folded)
    weights: dict[str, float] = {}

    def add(base: str, weight: float) -> None:
        term = _stem(base)
        if term != own and not is_stopword(base) and weight > weights.get(term, 0.0):
            weights[term] = weight

    if not name:
        for base in derived_from(folded):
            add(base, DERIVED_WEIGHT)
    if not name or "-" in folded:
        for part in split_compound(folded):
            add(part, PART_WEIGHT)
            for base in derived_from(part):
                add(base, PART_WEIGHT * DERIVED_WEIGHT)
    return tuple(weights.items())


class DanishTokenizer(RegexTokenizer):
    """Whoosh's word tokenizer, with each token marked when it looks like a name (``token.name``)."""

    def __init__(self) -> None:
        super().__init__(WORD_PATTERN)

    def __call__(  # the Whoosh tokenizer protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: t.Any,
    ) -> t.Iterator[Token]:
        if not tokenize:
            yield from super().__call__(
                value,
                positions,
                chars,
                keeporiginal,
                removestops,
                start_pos,
                start_char,
                tokenize,
                mode,
                **kwargs,
            )
            return
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, word in enumerate(words(value)):
            token.text, token.boost, token.stopped, token.name = word.text, 1.0, False, word.name
            if keeporiginal:
                token.original = word.text
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + word.start, start_char + word.end
            yield token


class FoldStemFilter(Filter):
    """Fold then stem each token (cached: the same words come back all the time).

    When indexing, each word's parts and sources follow it as tokens at the same place, with
    their lower weights (``expansions``); a query is expanded by the backend instead
    (``query_alternatives``), so that a compound's parts are all required, not any one of them.
    """

    is_morph = True

    def __init__(self, expand: bool = False) -> None:
        self.expand = expand

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __call__(self, tokens):  # the Whoosh filter protocol
        expand = getattr(self, "expand", False)  # indexes made before kept a filter without it
        for token in tokens:
            if token.stopped:
                yield token
                continue
            word = token.text
            token.text = normalize_word(word)
            yield token
            if expand and token.mode == "index":
                for term, weight in expansions(word, getattr(token, "name", False)):
                    token.text, token.boost = term, weight
                    yield token
                token.boost = 1.0


def danish_analyzer(expand: bool = False):  # a Whoosh analyzer composition
    """Tokenize, lowercase, drop stop words, fold, stem; with ``expand``, add parts and sources."""
    return (
        DanishTokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=stopwords())
        | FoldStemFilter(expand=expand)
    )


class PairFilter(Filter):
    """Each two neighbouring tokens as one ("laer motivation"); a text of one word or none gives none.

    (Whoosh's BiWordFilter fails on a text with no words, and keeps a lone word as if it were a pair.)
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens):  # the Whoosh filter protocol
        previous = None
        for token in tokens:
            if token.stopped:
                continue
            text = token.text
            if previous is not None:
                token.text = f"{previous}{PAIR_SEPARATOR}{text}"
                yield token
            previous = text


PAIR_SEPARATOR = " "  # a term never holds a space, so a pair never looks like a single term


def pair_analyzer():
    """Each two neighbouring index terms as one term: phrases found without reading positions.

    Stop words are gone before pairing, as they are from the positions a phrase is checked against.
    """
    return danish_analyzer() | PairFilter()


def spelling_analyzer():
    """Whole lowercased words, for "Mente du …?" suggestions in real Danish spelling."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter()


def spelling_words(text: str) -> set[str]:
    """The words of a text as "Mente du …?" knows them: whole, lowercased, in real Danish spelling."""
    return {w for w in re.findall(WORD_PATTERN, text.lower()) if len(w) <= MAX_SPELLING_WORD}


def is_stopword(word: str) -> bool:
    """A Danish stop word ("ikke", "efter"): common to every text, so never worth correcting."""
    return word in stopwords()


def analyze(text: str) -> list[str]:
    """The words' own index terms, in order, without parts or sources (FTS5, similar content, synonyms)."""
    return [normalize_word(w) for w in re.findall(WORD_PATTERN, text.lower()) if w not in stopwords()]


def indexed_words(text: str) -> t.Iterator[tuple[tuple[str, float], ...]]:
    """Each word of a text that is not a stop word, as its terms with weights: its own (1.0) first.

    What the Whoosh analyzer indexes, for the PostgreSQL backend's vectors (one position a word).
    """
    stop = stopwords()
    for word in words(text):
        lower = word.text.lower()
        if lower not in stop:
            yield ((normalize_word(lower), 1.0), *expansions(lower, word.name))


class Alternative(t.NamedTuple):
    """One way a document may answer a query word: these terms (all of them), with this weight."""

    terms: tuple[str, ...]
    weight: float
    phrase: bool = False  # the terms one right after the other (a synonym of several words)


def query_alternatives(word: str, name: bool = False) -> tuple[Alternative, ...]:
    """What one typed word asks for: itself, what it derives from, its synonyms, and its parts together.

    "fraværsregistrering" → fravaersregistrering (1.0), fravaer AND registrering (0.5);
    "elev" → elev (1.0), kursist (0.4), laerling (0.4). Always the word's own term first.
    """
    return _query_alternatives(word.lower(), name, synonyms.table().version)


@functools.lru_cache(maxsize=10_000)
def _query_alternatives(word: str, name: bool, _synonyms_version: tuple) -> tuple[Alternative, ...]:
    own = normalize_word(word)
    found: dict[tuple[str, ...], Alternative] = {(own,): Alternative((own,), 1.0)}

    def add(alternative: Alternative) -> None:
        known = found.get(alternative.terms)
        if known is None or known.weight < alternative.weight:
            found[alternative.terms] = alternative

    folded = fold(word)
    if len(folded) <= MAX_EXPANDED_WORD:
        if not name:
            for base in derived_from(folded):
                add(Alternative((_stem(base),), DERIVED_WEIGHT))
        for terms in synonyms.table().alternatives.get(own, ()):
            add(Alternative(terms, SYNONYM_WEIGHT, phrase=len(terms) > 1))
        parts = (
            tuple(_stem(p) for p in split_compound(folded) if not is_stopword(p))
            if not name or "-" in word
            else ()
        )
        if len(parts) > 1:
            add(Alternative(tuple(dict.fromkeys(parts)), PART_WEIGHT))
    return tuple(found.values())
