"""Matching and ranking a Whoosh query from postings read once, instead of walking Whoosh's matcher tree.

A query of two words becomes, per word, an OR over four weighted fields, and an AND of those.
Whoosh scores that by walking the tree of matchers in Python for every candidate document, which
was three quarters of a search's time at 10,000 documents. Here each term's postings are read once,
a block at a time, into numpy arrays: the matches are a mask over the index's document numbers
(AND, OR and NOT as array operations), and the matches are scored in one vectorised step with
Whoosh's own BM25F formula and statistics, so the order is the one Whoosh would give
(tests/search/test_whoosh_ranking.py compares the scores and the matches).

A phrase in any text field is looked for in the whole text: two words as one term of the pair
field, longer phrases by the positions (``phrase_field``) in the few documents that have all their
pairs; it is scored as its words in its own field. Prefixes, wildcards and phrases with slop are
matched by Whoosh itself (term expansion, positions); they add their boost to the documents they match.

The postings and the per-segment columns are read through whoosh3 codec internals
(``W3LeafMatcher`` blocks, the length column); whoosh-reloaded is pinned below 3 in pyproject.toml
and the tests check these readings against Whoosh's public, slower interface.
"""

import itertools
import pickle
import threading
import typing as t
from array import array

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import And, AndMaybe, AndNot, Every, Not, Or, Phrase, Term
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from network.search.analysis import PAIR_SEPARATOR

K1, B = 1.2, 0.75  # whoosh.scoring.BM25F's defaults, the weighting of the searchers we open
LENGTHS = np.array([byte_to_length(byte) for byte in range(256)])  # Whoosh keeps a length in a byte


def term_postings(reader, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """One term's postings in a segment: live document numbers and weights (frequency × field boost)."""
    ids, weights, _values = _read_postings(reader, field, text, with_values=False)
    return np.frombuffer(ids, dtype=np.int64), np.frombuffer(weights, dtype=np.float64)


def term_positions(reader, field: str, text: str) -> dict[int, bytes]:
    """One term's live documents in a segment with its positions there, still encoded."""
    ids, _weights, values = _read_postings(reader, field, text, with_values=True)
    return dict(zip(ids, values, strict=True))


def _read_postings(reader, field: str, text: str, with_values: bool) -> tuple[array, array, list]:
    ids, weights = array("q"), array("d")
    values: list[bytes] = []
    if (field, text) not in reader:
        return ids, weights, values
    matcher = reader.postings(field, text)
    if isinstance(matcher, FilterMatcher):  # the segment has deletions: read everything, drop those
        matcher = matcher.child
        matcher.reset()
    if isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():  # a block (up to 128 postings) at a time
            matcher._read_data()  # see the module docstring
            gaps, block_weights = matcher._data[0], matcher._data[1]
            ids.extend(itertools.accumulate(gaps))  # as W3LeafMatcher._read_ids, in C
            if block_weights is None or isinstance(block_weights, float):  # all 1.0, or all the same
                block_weights = [block_weights or 1.0] * len(gaps)
            weights.extend(block_weights)
            if with_values:
                matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
    else:  # short lists are kept inline in the term info
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if with_values:
                values.append(matcher.value())
            matcher.next()
    deleted = reader.deleted_docs_set if reader.has_deletions() else ()
    if deleted:
        live = [i for i, doc in enumerate(ids) if doc not in deleted]
        ids, weights = array("q", (ids[i] for i in live)), array("d", (weights[i] for i in live))
        values = [values[i] for i in live] if with_values else values
    return ids, weights, values


def decode_positions(value: bytes) -> t.Iterable[int]:
    """A term's positions in one document, from whoosh.formats.Positions' encoding.

    That is the count as 4 bytes, then the gaps between positions pickled without the final
    STOP byte (whoosh.formats.Positions.encode); adding the gaps up in C instead of in a Python
    loop is what makes phrases cheap to check.
    """
    return itertools.accumulate(pickle.loads(value[_INT_SIZE:] + b"."))  # noqa: S301 - our own index


def positions_at(reader, field: str, text: str, docs: list[int]) -> dict[int, bytes]:
    """A term's encoded positions in those of ``docs`` (sorted, of this segment) that have it.

    Skips from document to document, so only the postings blocks holding one of them are read.
    """
    found: dict[int, bytes] = {}
    if not docs or (field, text) not in reader:
        return found
    matcher = reader.postings(field, text)
    for doc in docs:
        if not matcher.is_active():
            break
        matcher.skip_to(doc)
        if matcher.is_active() and matcher.id() == doc:
            found[doc] = matcher.value()
    return found


def field_lengths(reader, field: str) -> bytes:
    """Each document's length in a text field, one byte each as Whoosh stores it (see LENGTHS)."""
    column = reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
    count = reader.doc_count_all()
    if column is None:
        return bytes(count)
    stored = column._count  # documents after the last one with this field have none
    raw = bytes(column._dbfile.get(column._basepos, stored)) if stored else b""
    return raw + bytes(count - len(raw))


def sortable_dates(reader) -> list[t.Any]:
    """Each document's date as the index sorts it (documents without one sort last)."""
    if "date" not in reader.schema or not reader.has_column("date"):
        return [0] * reader.doc_count_all()
    return list(reader.column_reader("date", translate=False))


class SegmentColumns:
    """Field lengths and dates per index segment, read once: a segment never changes, writes add new ones."""

    def __init__(self) -> None:
        self._values: dict[tuple, t.Sequence] = {}
        self._lock = threading.Lock()

    def get(self, segment_id: str, name: str, read: t.Callable[[], t.Sequence]) -> t.Sequence:
        key = (segment_id, name)
        values = self._values.get(key)
        if values is None:
            values = read()
            self._values[key] = values
        return values

    def keep_only(self, segment_ids: set[str]) -> None:
        """Forget segments that merges have removed."""
        with self._lock:
            self._values = {key: v for key, v in self._values.items() if key[0] in segment_ids}


class _Segment(t.NamedTuple):
    reader: t.Any
    offset: int
    segment_id: str


class Ranking:
    """One query against one searcher: its matches, then the best or newest of them."""

    def __init__(
        self, searcher: t.Any, columns: SegmentColumns, phrase_field: str = "", pair_field: str = ""
    ) -> None:
        self.searcher = searcher
        self.columns = columns
        self.phrase_field = phrase_field if phrase_field in searcher.schema else ""
        self.pair_field = pair_field if self.phrase_field and pair_field in searcher.schema else ""
        self.segments = [
            _Segment(leaf.reader(), offset, _segment_id(leaf.reader()))
            for leaf, offset in searcher.leaf_searchers()
        ]
        columns.keep_only({segment.segment_id for segment in self.segments})
        self._postings: dict[tuple[str, str], list[tuple[_Segment, np.ndarray, np.ndarray]]] = {}
        self.size = searcher.doc_count_all()  # document numbers run from 0 to size - 1, deleted ones too
        self._memo: dict[tuple, np.ndarray] = {}

    # --- matching ----------------------------------------------------------------------------

    def postings(self, field: str, text: str) -> list[tuple[_Segment, np.ndarray, np.ndarray]]:
        """A term's postings per segment, read once per query."""
        key = (field, text)
        if key not in self._postings:
            self._postings[key] = [
                (segment, *term_postings(segment.reader, field, text)) for segment in self.segments
            ]
        return self._postings[key]

    def docs(self, query) -> np.ndarray:  # a whoosh.query.Query
        """The documents a query matches, as a mask by document number: set algebra over postings."""
        if isinstance(query, Term):
            mask = self.none()
            for segment, ids, _weights in self.postings(query.fieldname, query.text):
                mask[ids + segment.offset if segment.offset else ids] = True
            return mask
        if isinstance(query, Or):
            mask = self.none()
            for child in query.subqueries:
                mask |= self.docs(child)
            return mask
        if isinstance(query, And):
            wanted = [child for child in query.subqueries if not isinstance(child, Not)]
            unwanted = [child.query for child in query.subqueries if isinstance(child, Not)]
            if not wanted:
                return self._whoosh_docs(query)
            mask = self.docs(wanted[0]).copy()
            for child in wanted[1:]:
                mask &= self.docs(child)
            for child in unwanted:
                mask &= ~self.docs(child)
            return mask
        if isinstance(query, AndNot):
            return self.docs(query.a) & ~self.docs(query.b)
        if isinstance(query, AndMaybe):
            return self.docs(query.a)
        if isinstance(query, Phrase) and self.phrase_field:
            query = Phrase(self.phrase_field, query.words, slop=query.slop)
        if isinstance(query, Phrase) and query.slop == 1 and query.words:
            return self._phrase_docs(query.fieldname, tuple(query.words))
        return self._whoosh_docs(query)

    def none(self) -> np.ndarray:
        """A mask of no document."""
        return np.zeros(self.size, dtype=bool)

    def mask(self, docs: t.Iterable[int]) -> np.ndarray:
        """A mask of these document numbers."""
        return mask_of(self.size, docs)

    def _phrase_docs(self, field: str, words: tuple[str, ...]) -> np.ndarray:
        """Documents with the words one right after the other (stop words between them do not count).

        With a pair field, two words are one term there; longer phrases are looked for in the
        documents that have all their pairs. Without one, every document with all the words is checked.
        """
        key = ("phrase", field, *words)
        if key in self._memo:
            return self._memo[key]
        candidates = None
        if self.pair_field and len(words) > 1:
            pairs = [Term(self.pair_field, f"{a}{PAIR_SEPARATOR}{b}") for a, b in itertools.pairwise(words)]
            candidates = self.docs(And(pairs) if len(pairs) > 1 else pairs[0])
        if candidates is not None and len(words) == 2:
            result = candidates
        else:
            found = []
            for segment in self.segments:
                if candidates is None:
                    positions = [term_positions(segment.reader, field, word) for word in words]
                    docs = set(positions[0]).intersection(*positions[1:])
                else:
                    end = segment.offset + segment.reader.doc_count_all()
                    docs = (np.flatnonzero(candidates[segment.offset : end])).tolist()
                    positions = [positions_at(segment.reader, field, word, docs) for word in words]
                found += [doc + segment.offset for doc in docs if _follow(positions, doc)]
            result = self.mask(found)
        self._memo[key] = result
        return result

    def _whoosh_docs(self, query) -> np.ndarray:
        """Matched by Whoosh itself, once per query (a phrase asked of four fields is one search)."""
        key = ("whoosh", repr(query))
        if key not in self._memo:
            self._memo[key] = self.mask(self.searcher.docs_for_query(query))
        return self._memo[key]

    # --- ranking -----------------------------------------------------------------------------

    def scores(self, query, matched: np.ndarray) -> np.ndarray:
        """BM25F scores by document number (the matched ones): the sum over the query's parts each has."""
        scores = np.zeros(self.size)
        for leaf in query.leaves():
            if isinstance(leaf, Term):
                self._add_term(scores, leaf.fieldname, leaf.text, leaf.boost, matched)
            elif isinstance(leaf, Phrase):
                in_phrase = self.docs(leaf) & matched
                for word in leaf.words:
                    self._add_term(scores, leaf.fieldname, word, leaf.boost, in_phrase)
            elif not isinstance(leaf, Not | Every):
                scores[self.docs(leaf) & matched] += leaf.boost
        return scores

    def _add_term(self, scores: np.ndarray, field: str, text: str, boost: float, wanted: np.ndarray) -> None:
        if not self.searcher.schema[field].scorable or not wanted.any():
            return
        parent = self.searcher.get_parent()
        numerator = boost * parent.idf(field, text) * (K1 + 1)
        per_length = K1 * B / (parent.avg_field_length(field) or 1)
        # BM25F's length part for each of the 256 lengths a byte stands for (length 0 counts as 1)
        norm = K1 * (1 - B) + per_length * np.maximum(LENGTHS, 1)
        lengths = self.lengths(field)
        for segment, ids, weights in self.postings(field, text):
            docs = ids + segment.offset if segment.offset else ids
            keep = wanted[docs]
            docs, kept = docs[keep], weights[keep]
            scores[docs] += numerator * kept / (kept + norm[lengths[docs]])  # a document once per term

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length byte in a field, by document number (segments follow each other)."""
        parts = []
        for segment in self.segments:
            read = lambda reader=segment.reader: field_lengths(reader, field)  # noqa: E731
            parts.append(self.columns.get(segment.segment_id, f"len:{field}", read))
        return np.frombuffer(b"".join(parts), dtype=np.uint8)

    def best(self, query, matched: np.ndarray, count: int) -> list[tuple[int, float]]:
        """The ``count`` best matches, best first (ties: the earlier indexed first, as in Whoosh)."""
        docs = np.flatnonzero(matched)
        return _top(docs, self.scores(query, matched)[docs], count)

    def newest(self, matched: np.ndarray, count: int) -> list[tuple[int, float]]:
        """The ``count`` newest matches (ties: the earlier indexed first)."""
        dates: list[t.Any] = []
        for segment in self.segments:  # segments are numbered one after the other
            dates += self.columns.get(segment.segment_id, "date", lambda r=segment.reader: sortable_dates(r))
        docs = np.flatnonzero(matched)
        keys = np.array([dates[doc] or 0 for doc in docs.tolist()], dtype=np.int64)
        return [(doc, 0.0) for doc, _key in _top(docs, keys, count)]


def mask_of(size: int, docs: t.Iterable[int]) -> np.ndarray:
    """Document numbers as a mask over an index of ``size`` documents."""
    mask = np.zeros(size, dtype=bool)
    mask[np.fromiter(docs, dtype=np.int64)] = True
    return mask


def _top(docs: np.ndarray, keys: np.ndarray, count: int) -> list[tuple[int, float]]:
    """The ``count`` documents with the largest keys, largest first, then by document number."""
    if len(docs) > count:
        top = np.argpartition(-keys, count - 1)[:count]
        docs, keys = docs[top], keys[top]
    order = np.lexsort((docs, -keys))
    return [(int(doc), float(key)) for doc, key in zip(docs[order], keys[order], strict=True)]


def _follow(positions: list[dict[int, bytes]], doc: int) -> bool:
    """Whether the words, whose positions these are, come one right after the other in the document."""
    if any(doc not in of_word for of_word in positions):
        return False
    starts = set(decode_positions(positions[0][doc]))
    for step, of_word in enumerate(positions[1:], 1):
        starts &= {position - step for position in decode_positions(of_word[doc])}
        if not starts:
            return False
    return True


def _segment_id(reader) -> str:
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else str(id(reader))
