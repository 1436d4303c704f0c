"""The Whoosh index: one folder per generation, a ``current`` link, one writer, reused searchers.

``SEARCH_INDEX_DIR/current`` is a symlink to ``gen-…``; ``rebuild`` fills a fresh generation and
swaps the link with one atomic rename, so searches keep working while the index is rebuilt.
"""

import collections
import contextlib
import itertools
import json
import logging
import math
import os
import shutil
import threading
import time
import typing as t
import uuid
from pathlib import Path

import numpy as np
from markupsafe import Markup, escape
from whoosh import index
from whoosh.fields import Schema
from whoosh.index import LockError
from whoosh.qparser import AndGroup, OrGroup
from whoosh.query import Every, Or, Term

from network.search.analysis import analyze, fold
from network.search.backend import Hit as SearchHit
from network.search.backend import IndexBusy, IndexUnavailable, SearchQuery, SearchResults
from network.search.documents import Document
from network.search.lexicon import lexicon
from network.search.whoosh_query import DanishParser
from network.search.whoosh_ranking import Ranking, SegmentColumns, mask_of
from network.search.whoosh_schema import (
    FACET_FIELDS,
    MAX_QUERY_LENGTH,
    PAIR_FIELD,
    PHRASE_FIELD,
    RELATED_FIELD,
    SNIPPET_ANALYZER,
    TEXT_FIELDS,
    document_fields,
    highlight_text,
    make_schema,
    shorten,
    stored_hit,
)

log = logging.getLogger(__name__)

_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


def process_lock(folder: str) -> threading.Lock:
    """One writer per process and folder; Whoosh's file lock covers other processes."""
    with _process_locks_guard:
        return _process_locks.setdefault(folder, threading.Lock())


PARALLEL_FROM = 1000  # documents before a rebuild is worth starting writer processes
WRITER_MEMORY_MB = 2048  # per writer process: postings held in memory before spilling to temporary files
SIMILAR_CACHE = 1024  # answers of "similar content" kept per process (a few KiB each)


class WhooshBackend:
    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)
        self._searcher = None
        self._searcher_target = None
        self._searcher_lock = threading.Lock()
        self._facet_cache: dict = {}
        self._facet_cache_key: tuple | None = None
        self._segment_facets: dict = {}
        self._segment_columns = SegmentColumns()  # field lengths and dates, for ranking
        self._facet_masks_cache: tuple[dict | None, dict] = (None, {})  # (made from these sets, masks)
        # "Similar content" is asked on every view of a case or project page and depends only on
        # the index: answers are kept until the searcher changes (any write), at most SIMILAR_CACHE.
        self._similar_cache: dict[tuple, list[SearchHit]] = {}
        self._similar_cache_searcher = None

    # --- the folder --------------------------------------------------------------------------

    @property
    def current(self) -> Path:
        return self.folder / "current"

    def _target(self) -> Path | None:
        try:
            return self.folder / os.readlink(self.current)
        except OSError:
            return None

    def exists(self) -> bool:
        return self._target() is not None

    def status(self) -> str:
        """ok, missing or corrupt."""
        target = self._target()
        if target is None or not target.exists():
            return "missing"
        try:
            index.open_dir(str(target)).doc_count()
        except Exception:  # any failure to open means damaged
            return "corrupt"
        return "ok"

    def _open(self) -> index.Index:
        target = self._target()
        if target is None or not target.exists():
            raise IndexUnavailable("missing")
        try:
            return index.open_dir(str(target))
        except Exception as error:
            raise IndexUnavailable("corrupt") from error

    def searcher(self):  # a Whoosh Searcher
        """A searcher reused across requests; refreshed when the index changed, reopened after a swap."""
        with self._searcher_lock:
            target = self._target()
            try:
                if self._searcher is None or target != self._searcher_target:
                    self._searcher = self._open().searcher()
                    self._searcher_target = target
                elif not self._searcher.up_to_date():
                    # A new searcher, not Searcher.refresh(): whoosh-reloaded's refresh keeps the
                    # old reader's segments that the new generation no longer lists, so after an
                    # update both the old and the new version of a document were found
                    # (tests/search/test_service.py::test_similar_content_follows_every_change...).
                    # The old one is not closed here: another request may still be reading it; it
                    # is released when the last one lets go of it.
                    self._searcher = self._open().searcher()
            except IndexUnavailable:
                self._searcher = None
                raise
            except Exception as error:
                self._searcher = None
                raise IndexUnavailable("corrupt") from error
            return self._searcher

    # --- writing -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, timeout: float) -> t.Iterator[t.Any]:
        """The one writer: this process's lock, then Whoosh's folder lock (waiting up to timeout)."""
        lock = process_lock(str(self.folder))
        if not lock.acquire(timeout=timeout):
            raise IndexBusy("another thread is writing")
        try:
            ix = self._open()
            try:
                writer = ix.writer(timeout=timeout, delay=0.05)
            except LockError as error:
                raise IndexBusy("another process is writing") from error
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            else:
                writer.commit()
        finally:
            lock.release()

    def compact(self, timeout: float = 30.0) -> None:
        """Merge all segments, so deleted documents are gone from the files, not just marked."""
        lock = process_lock(str(self.folder))
        if not lock.acquire(timeout=timeout):
            raise IndexBusy("another thread is writing")
        try:
            try:
                writer = self._open().writer(timeout=timeout, delay=0.05)
            except LockError as error:
                raise IndexBusy("another process is writing") from error
            writer.commit(optimize=True)
        finally:
            lock.release()

    def apply_with(self, writer, documents: list[Document], deleted_keys: list[str]) -> None:
        for key in deleted_keys:
            writer.delete_by_term("key", key)
        names = set(writer.schema.names())  # an index built before a schema change lacks new fields
        for doc in documents:
            writer.update_document(**{k: v for k, v in document_fields(doc).items() if k in names})

    def rebuild(self, documents: t.Iterable[Document], processes: int = 1) -> int:
        """Fill a fresh generation folder and swap it in atomically; old searches keep working.

        The old index stays locked for writing meanwhile, so a change committed during the rebuild
        stays in the outbox (the drain finds the index busy) and is indexed into the new folder after.
        With ``processes`` > 1 (`network reindex`, never a web request: it forks) and at least
        PARALLEL_FROM documents, Whoosh analyses and writes in that many processes, one segment each.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        lock = process_lock(str(self.folder))
        lock.acquire()
        old_writer = None
        try:
            with contextlib.suppress(IndexUnavailable, LockError, OSError):
                old_writer = self._open().writer(timeout=30.0, delay=0.1)
            generation = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
            (self.folder / generation).mkdir()
            ix = index.create_in(str(self.folder / generation), make_schema())
            documents = iter(documents)
            first = list(itertools.islice(documents, PARALLEL_FROM))
            if processes > 1 and len(first) == PARALLEL_FROM:
                lexicon()  # read once here, before the writer processes fork, rather than once in each
                writer = ix.writer(limitmb=WRITER_MEMORY_MB, procs=processes, multisegment=True)
            else:
                writer = ix.writer(limitmb=WRITER_MEMORY_MB)
            count = 0
            try:
                for doc in itertools.chain(first, documents):
                    writer.add_document(**document_fields(doc))
                    count += 1
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            link = self.folder / f".current-{uuid.uuid4().hex[:8]}"
            os.symlink(generation, link)
            os.replace(link, self.current)  # atomic: readers see the old or the new index, never neither
        finally:
            if old_writer is not None:
                old_writer.cancel()
            lock.release()
        for old in self.folder.glob("gen-*"):
            if old.name != generation:
                shutil.rmtree(old, ignore_errors=True)
        return count

    def keys(self) -> set[str]:
        """Every "kind:id" in the index."""
        searcher = self.searcher()
        return {stored["key"] for stored in searcher.all_stored_fields()}

    # --- reading -----------------------------------------------------------------------------

    @staticmethod
    def _parser(schema: Schema, group) -> DanishParser:
        return DanishParser(schema, group)

    def search(self, query: SearchQuery) -> SearchResults:
        searcher = self.searcher()
        text = fold(query.q.strip())[:MAX_QUERY_LENGTH]
        parsed = self._parser(searcher.schema, AndGroup).parse(text) if text else Every()
        allowed = self._allowed(searcher, query)
        ranking = Ranking(searcher, self._segment_columns, PHRASE_FIELD, PAIR_FIELD)
        matched = self._matched(ranking, parsed, allowed)
        used_or = False
        if not matched.any() and text:
            alternative = self._parser(searcher.schema, OrGroup).parse(text)
            if alternative != parsed:
                parsed, used_or = alternative, True
                matched = self._matched(ranking, parsed, allowed)
        count = query.page * query.per_page
        if not matched.any():
            ranked = []
        elif query.sort == "date" or isinstance(parsed, Every):  # no words: newest first
            ranked = ranking.newest(matched, count)
        else:
            ranked = ranking.best(parsed, matched, count)
        page = ranked[(query.page - 1) * query.per_page :]
        highlight_words = self._highlight_words(searcher, parsed) if text else None
        hits = [self._hit(searcher, docnum, score, highlight_words) for docnum, score in page]
        return SearchResults(
            query=query,
            hits=hits,
            total=int(np.count_nonzero(matched)),
            facets=self._facet_counts(searcher, matched),
            used_or=used_or and bool(hits),
        )

    def _facet_sets(self, searcher) -> dict[str, dict[str, set[int]]]:
        """For each facet field and value, the documents that have it, cached per index segment.

        Counting facets as set intersections (in C) instead of scoring every match in Python is what
        keeps facet counts cheap on large indexes. Deleted documents in a cached segment do no harm:
        they are never in the set of matches they are intersected with.
        """
        layout = []
        for leaf, offset in searcher.leaf_searchers():
            segment = leaf.reader().segment() if hasattr(leaf.reader(), "segment") else None
            layout.append((segment.segment_id() if segment else id(leaf), offset, leaf))
        key = tuple((segment_id, offset) for segment_id, offset, _leaf in layout)
        if self._facet_cache_key == key:
            return self._facet_cache
        merged: dict[str, dict[str, set[int]]] = {field: {} for field in FACET_FIELDS.values()}
        segments = {}
        for segment_id, offset, leaf in layout:
            local = self._segment_facets.get(segment_id) or self._read_segment_facets(leaf.reader())
            segments[segment_id] = local
            for field, values in local.items():
                for value, docs in values.items():
                    merged[field].setdefault(value, set()).update(d + offset for d in docs)
        self._segment_facets = segments
        self._facet_cache, self._facet_cache_key = merged, key
        return merged

    def _facet_counts(self, searcher, matched: np.ndarray) -> dict[str, list[tuple[str, int]]]:
        """How many matches have each facet value, most first: one AND and a count per value.

        Each value's documents are kept as a mask over the index (per searcher generation), so a
        count costs a machine-speed AND over the index's size instead of a set intersection in Python.
        """
        masks = self._facet_masks(searcher)
        facets = {}
        for name, field in FACET_FIELDS.items():
            counts = ((value, int(np.count_nonzero(mask & matched))) for value, mask in masks[field].items())
            facets[name] = sorted(
                ((v, c) for v, c in counts if c and v), key=lambda pair: (-pair[1], pair[0])
            )
        return facets

    def _facet_masks(self, searcher) -> dict[str, dict[str, np.ndarray]]:
        facet_sets = self._facet_sets(searcher)
        made_from, masks = self._facet_masks_cache  # one tuple: threads never see half an update
        if made_from is not facet_sets:
            size = searcher.doc_count_all()
            masks = {
                field: {value: mask_of(size, docs) for value, docs in values.items()}
                for field, values in facet_sets.items()
            }
            self._facet_masks_cache = (facet_sets, masks)
        return masks

    @staticmethod
    def _read_segment_facets(reader) -> dict[str, dict[str, list[int]]]:
        values: dict[str, dict[str, list[int]]] = {}
        for field in FACET_FIELDS.values():
            values[field] = {}
            if field not in reader.indexed_field_names():
                continue
            for term in reader.lexicon(field):
                value = term.decode("utf-8") if isinstance(term, bytes) else str(term)
                values[field][value] = list(reader.postings(field, term).all_ids())
        return values

    def _allowed(self, searcher, query: SearchQuery) -> np.ndarray | None:
        """The documents the filters allow (a mask), or None when nothing is filtered."""
        allowed = None
        masks = self._facet_masks(searcher)
        for name, value in query.filters.items():
            mask = masks[FACET_FIELDS[name]].get(str(value))
            if mask is None:
                mask = mask_of(searcher.doc_count_all(), ())
            allowed = mask if allowed is None else allowed & mask
        return allowed

    @staticmethod
    def _matched(ranking: Ranking, parsed, allowed: np.ndarray | None) -> np.ndarray:
        matched = ranking.docs(parsed)
        return matched & allowed if allowed is not None else matched

    @staticmethod
    def _highlight_words(searcher, parsed) -> dict[str, frozenset[str]]:
        """Per text field, the indexed words the query asks for (prefixes expanded), to mark in snippets."""
        reader = searcher.reader()
        words = {}
        for field in (*TEXT_FIELDS, RELATED_FIELD):  # one a call: existing_terms() mixes fields up
            terms = parsed.existing_terms(reader, fieldname=field, expand=True)
            words[field] = frozenset(w.decode("utf-8") if isinstance(w, bytes) else w for _f, w in terms)
        related = words.pop(RELATED_FIELD)  # a part or source marks the compound or word it is of
        return {field: found | related for field, found in words.items()}

    def _hit(self, searcher, docnum: int, score: float, words: dict | None) -> SearchHit:
        stored = searcher.stored_fields(docnum)
        snippet, snippet_file = "", ""
        if words is not None:
            for field in ("problem", "body", "title"):
                snippet = highlight_text(SNIPPET_ANALYZER, stored.get(field), words[field])
                if snippet:
                    break
            if not snippet and stored.get("attachment_files") and words["attachments"]:
                for name, text in json.loads(stored["attachment_files"]):
                    snippet = highlight_text(
                        searcher.schema["attachments"].analyzer, text, words["attachments"]
                    )
                    if snippet:
                        snippet_file = name
                        break
        if not snippet:
            snippet = str(escape(shorten(stored.get("problem") or stored.get("body") or "")))
        return stored_hit(stored, score, Markup(snippet), snippet_file)  # noqa: S704 - escaped by MarkFormatter

    # --- "Mente du …?" -----------------------------------------------------------------------

    def spelling_candidates(self, word: str, limit: int) -> list[str]:
        """Indexed words within two edits of ``word``, most frequent first (the word itself excluded).

        The lexicon may still hold words of deleted documents until segments merge: the service
        keeps only words that a visible document has (documents_with_word).
        """
        return self.searcher().corrector("spell").suggest(word, limit=limit, maxdist=2)

    def documents_with_word(self, word: str, limit: int) -> list[tuple[str, int]]:
        """Up to ``limit`` live documents whose title, problem or body has this exact word (kind, id)."""
        searcher = self.searcher()
        docnums = itertools.islice(searcher.docs_for_query(Term("spell", word)), limit)
        return [(stored["kind"], stored["object_id"]) for stored in map(searcher.stored_fields, docnums)]

    def similar(self, key: str, kinds: tuple[str, ...], limit: int) -> list[SearchHit]:
        searcher = self.searcher()
        if searcher is not self._similar_cache_searcher or len(self._similar_cache) >= SIMILAR_CACHE:
            self._similar_cache = {}
            self._similar_cache_searcher = searcher
        cache_key = (key, tuple(kinds), limit)
        hits = self._similar_cache.get(cache_key)
        if hits is None:
            hits = self._similar(searcher, key, kinds, limit)
            self._similar_cache[cache_key] = hits
        return list(hits)

    def _similar(self, searcher, key: str, kinds: tuple[str, ...], limit: int) -> list[SearchHit]:
        docnum = searcher.document_number(key=key)
        if docnum is None:
            return []
        stored = searcher.stored_fields(docnum)
        text = " ".join(stored.get(f, "") for f in ("title", "problem", "body"))
        return self._more_like(searcher, text, kinds, limit, exclude=key)

    @staticmethod
    def _key_terms(searcher, text: str, count: int) -> list[tuple[str, float]]:
        """The text's most telling terms: frequent in it, rare in the index (tf·idf over all text fields)."""
        reader = searcher.reader()
        total = max(1, reader.doc_count())
        frequencies = collections.Counter(analyze(text))
        scored = []
        for word, tf in frequencies.items():
            df = sum(reader.doc_frequency(field, word) for field in TEXT_FIELDS)
            if df:
                scored.append((word, tf * math.log(1 + total / df)))
        return sorted(scored, key=lambda pair: -pair[1])[:count]

    def similar_to_text(self, text: str, kinds: tuple[str, ...], limit: int) -> list[SearchHit]:
        return self._more_like(self.searcher(), text, kinds, limit, exclude=None)

    def _more_like(self, searcher, text: str, kinds, limit: int, exclude: str | None) -> list[SearchHit]:
        if not text.strip():
            return []
        keywords = self._key_terms(searcher, text, 12)
        if not keywords:
            return []
        query = Or([Term(field, word, boost=weight) for word, weight in keywords for field in TEXT_FIELDS])
        kind_filter = Or([Term("kind", kind) for kind in kinds])
        mask = Term("key", exclude) if exclude else None
        results = searcher.search(query, limit=limit, filter=kind_filter, mask=mask)
        hits = []
        for hit in results:
            stored = hit.fields()
            snippet = escape(shorten(stored.get("problem") or stored.get("body") or ""))
            hits.append(stored_hit(stored, hit.score, snippet, ""))
        return hits
