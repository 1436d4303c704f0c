"""Danish text analysis shared by the index, the queries and the benchmarks.

Words are lowercased, stop words dropped, then folded (æ→ae, ø→oe, å→aa, other accents removed)
and only then stemmed with Snowball Danish. Folding before stemming at index and query time makes
``laerer``, ``lærer``, ``lærerne`` and ``lærernes`` one term, and ``aa`` match ``å``.
"""

import functools
import re
import unicodedata

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang import stemmer_for_language, stopwords_for_language

_DIGRAPHS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
WORD_PATTERN = r"\w+(?:[-']\w+)*"
MAX_SPELLING_WORD = 60  # longer "words" are ids, URLs or noise, not something to suggest


def fold(text: str) -> str:
    """æ→ae, ø→oe, å→aa and other accents dropped (é→e), keeping the case."""
    text = text.translate(_DIGRAPHS)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def _stopwords() -> frozenset[str]:
    words = set(stopwords_for_language("da"))
    return frozenset(words | {fold(w) for w in words})


_stem = stemmer_for_language("da")


@functools.lru_cache(maxsize=50_000)
def normalize_word(word: str) -> str:
    """One lowercased word as the index stores it: folded, then stemmed."""
    return _stem(fold(word))


class FoldStemFilter(Filter):
    """Fold then stem each token (cached: the same words come back all the time)."""

    is_morph = True

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens):  # noqa: ANN001, ANN204 - the Whoosh filter protocol
        for token in tokens:
            if not token.stopped:
                token.text = normalize_word(token.text)
            yield token


def danish_analyzer():  # noqa: ANN201 - a Whoosh analyzer composition
    """Tokenize, lowercase, drop stop words, fold, stem."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=_stopwords())
        | FoldStemFilter()
    )


class PairFilter(Filter):
    """Each two neighbouring tokens as one ("laer motivation"); a text of one word or none gives none.

    (Whoosh's BiWordFilter fails on a text with no words, and keeps a lone word as if it were a pair.)
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens):  # noqa: ANN001, ANN204 - the Whoosh filter protocol
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


def pair_analyzer():  # noqa: ANN201
    """Each two neighbouring index terms as one term: phrases found without reading positions.

    Stop words are gone before pairing, as they are from the positions a phrase is checked against.
    """
    return danish_analyzer() | PairFilter()


def spelling_analyzer():  # noqa: ANN201
    """Whole lowercased words, for "Mente du …?" suggestions in real Danish spelling."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter()


def spelling_words(text: str) -> set[str]:
    """The words of a text as "Mente du …?" knows them: whole, lowercased, in real Danish spelling."""
    return {w for w in re.findall(WORD_PATTERN, text.lower()) if len(w) <= MAX_SPELLING_WORD}


def is_stopword(word: str) -> bool:
    """A Danish stop word ("ikke", "efter"): common to every text, so never worth correcting."""
    return word in _stopwords()


def analyze(text: str) -> list[str]:
    """The index terms of a text, in order (used by the FTS5 and PostgreSQL comparisons)."""
    return [normalize_word(w) for w in re.findall(WORD_PATTERN, text.lower()) if w not in _stopwords()]
