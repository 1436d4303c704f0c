"""PostgreSQL full-text search behind the same interface as Whoosh, for several processes or hosts.

Documents live in ``search_documents`` (built by the same builders, drained from the same outbox).
Each row's weighted vector (title A, problem B, body C, reports D) is written by the application
from the same Danish analysis as the Whoosh index (network/search/postgres_text.py: folded,
stemmed words with their compound parts and sources), stored in the GIN-indexed column
``search_vector``: matching (``@@``) and ranking (``ts_rank_cd``) read it. A query is the same
words with the same alternatives as in Whoosh. Snippets are marked with the Whoosh highlighter
and the same analyzer, naming the report a snippet comes from. "Mente du …?" candidates come from
the ``search_words`` list with the same Levenshtein corrector Whoosh uses, so no extension is needed.
"""

import bisect
import collections
import contextlib
import re
import time
import typing as t

from markupsafe import Markup, escape
from sqlalchemy import bindparam, cast, delete, func, literal, select
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR, insert
from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton

from network.db import db
from network.search.analysis import analyze, normalize_word, spelling_words
from network.search.backend import FACETS, Hit, IndexBusy, SearchQuery, SearchResults
from network.search.documents import Document
from network.search.models import FILE_SEPARATOR, SearchWord
from network.search.models import SearchDocument as SD
from network.search.postgres_text import QueryText, query_text, quoted, vector_literal
from network.search.whoosh_schema import SNIPPET_ANALYZER, highlight_text

ADVISORY_LOCK = 4_004_001  # one drain at a time across processes
# A tsvector holds at most 1 MB, and a row that cannot get its vector would block the outbox.
# 300,000 characters (about 100 pages) of all-different made-up words, as a hostile upload might
# hold, make about 0.5 MB; so the reports of one document are searched up to that many characters.
MAX_ATTACHMENT_CHARS = 300_000


def _tsquery(text_: str):
    return cast(literal(text_), TSQUERY)  # a literal: PostgreSQL takes the terms as they are


class PostgresBackend:
    def __init__(self) -> None:
        self._words: tuple[int, WordList] | None = None

    def exists(self) -> bool:
        return True

    def status(self) -> str:
        return "ok"

    @contextlib.contextmanager
    def writing(self, timeout: float) -> t.Iterator[None]:
        """Hold a transaction-level advisory lock; the drain's commit releases it."""
        deadline = time.monotonic() + timeout
        while not db.session.scalar(select(func.pg_try_advisory_xact_lock(ADVISORY_LOCK))):
            if time.monotonic() > deadline:
                db.session.rollback()
                raise IndexBusy("another process is draining")
            time.sleep(0.05)
        yield None

    def compact(self, timeout: float = 30.0) -> None:
        """Deleted rows are gone from the table at once; nothing to merge."""

    def apply_with(self, _writer: None, documents: list[Document], deleted_keys: list[str]) -> None:
        for key in deleted_keys:
            kind, object_id = key.split(":")
            db.session.execute(delete(SD).where(SD.kind == kind, SD.object_id == int(object_id)))
        for doc in documents:
            values = _row(doc)
            statement = insert(SD).values(**values, search_vector=_vector(doc))
            db.session.execute(
                statement.on_conflict_do_update(
                    constraint="uq_search_documents_kind_object",
                    set_={
                        k: statement.excluded[k]
                        for k in (*values, "search_vector")
                        if k not in ("kind", "object_id")
                    },
                )
            )
        _add_words(documents)

    def rebuild(self, documents: t.Iterable[Document], processes: int = 1) -> int:
        """Replace every row in one transaction; readers see the old rows until it commits.

        ``processes`` is for the Whoosh backend: here PostgreSQL does the analysis.
        """
        with self.writing(60.0):
            db.session.execute(delete(SD))
            db.session.execute(delete(SearchWord))
            count, batch = 0, []
            for doc in documents:
                batch.append(doc)
                count += 1
                if len(batch) == 500:
                    self._insert(batch)
                    batch = []
            self._insert(batch)
            db.session.flush()
        return count

    @staticmethod
    def _insert(documents: list[Document]) -> None:
        if documents:
            statement = insert(SD).values(search_vector=cast(bindparam("vector_text"), TSVECTOR))
            db.session.execute(
                statement, [{**_row(doc), "vector_text": _vector_text(doc)} for doc in documents]
            )
            _add_words(documents)

    def keys(self) -> set[str]:
        return {f"{kind}:{oid}" for kind, oid in db.session.execute(select(SD.kind, SD.object_id))}

    def _filtered(self, query: SearchQuery, tsquery):
        conditions = []
        if tsquery is not None:
            conditions.append(SD.search_vector.op("@@")(tsquery))
        filters = query.filters
        if "kind" in filters:
            conditions.append(SD.kind == filters["kind"])
        if "school" in filters:
            conditions.append(SD.school == filters["school"])
        if "year" in filters:
            conditions.append(SD.year == int(filters["year"]))
        for name, column in (("tool", SD.tools), ("focus", SD.focus)):
            if name in filters:
                conditions.append(func.string_to_array(column, " ").any_() == filters[name])
        return conditions

    def search(self, query: SearchQuery) -> SearchResults:
        q = query.q.strip()[:500]
        has_words = bool(re.search(r"\w", q))
        parsed = query_text(q) if has_words else None
        conditions = self._filtered(query, _tsquery(parsed.match) if parsed else None)
        if has_words and parsed is None:  # only stop words: nothing to look for, as in Whoosh
            conditions.append(literal(False))
        total = db.session.scalar(select(func.count(SD.id)).where(*conditions)) or 0
        used_or = False
        if total == 0 and parsed is not None and len(re.findall(r"\w+", q)) > 1:
            parsed = query_text(q, use_or=True)
            conditions = self._filtered(query, _tsquery(parsed.match))
            total = db.session.scalar(select(func.count(SD.id)).where(*conditions)) or 0
            used_or = total > 0
        if query.sort == "date" or parsed is None:
            order = [SD.date.desc().nulls_last()]
        else:  # the typed words count again: a synonym, part or source weighs less than the word itself
            rank = func.ts_rank_cd(SD.search_vector, _tsquery(parsed.match)) + func.ts_rank_cd(
                SD.search_vector, _tsquery(parsed.typed)
            )
            order = [rank.desc(), SD.date.desc().nulls_last()]
        rows = db.session.scalars(
            select(SD)
            .where(*conditions)
            .order_by(*order, SD.id)
            .limit(query.per_page)
            .offset((query.page - 1) * query.per_page)
        ).all()
        hits = []
        for doc in rows:
            snippet, snippet_file = _snippet(doc, parsed) if parsed is not None else (Markup(""), "")
            hits.append(_hit(doc, snippet))
            hits[-1].snippet_file = snippet_file
        return SearchResults(
            query=query,
            hits=hits,
            total=total,
            facets=self._facets(conditions),
            used_or=used_or,
        )

    def _facets(self, conditions: list) -> dict[str, list[tuple[str, int]]]:
        facets: dict[str, list[tuple[str, int]]] = {}
        for name in FACETS:
            if name in ("tool", "focus"):
                column = func.unnest(func.string_to_array(SD.tools if name == "tool" else SD.focus, " "))
            else:
                column = {"kind": SD.kind, "school": SD.school, "year": SD.year}[name]
            inner = select(column.label("value")).where(*conditions).subquery()
            rows = db.session.execute(
                select(inner.c.value, func.count()).group_by(inner.c.value).order_by(func.count().desc())
            ).all()
            facets[name] = [(str(v), c) for v, c in rows if v not in (None, "")]
            facets[name].sort(key=lambda pair: (-pair[1], pair[0]))
        return facets

    def similar(self, key: str, kinds: tuple[str, ...], limit: int) -> list[Hit]:
        kind, object_id = key.split(":")
        doc = db.session.scalar(select(SD).where(SD.kind == kind, SD.object_id == int(object_id)))
        if doc is None:
            return []
        return self._like(" ".join((doc.title, doc.problem, doc.body)), kinds, limit, exclude=doc.id)

    def similar_to_text(self, text_: str, kinds: tuple[str, ...], limit: int) -> list[Hit]:
        return self._like(text_, kinds, limit, exclude=None)

    def _like(self, text_: str, kinds: tuple[str, ...], limit: int, exclude: int | None) -> list[Hit]:
        words = [w for w, _n in collections.Counter(analyze(text_)).most_common(12) if len(w) > 2]
        if not words:
            return []
        # The words are already folded and stemmed, as the vector's own terms are.
        tsquery = _tsquery(" | ".join(quoted(word) for word in words))
        vector = SD.search_vector
        query = select(SD).where(SD.kind.in_(kinds), vector.op("@@")(tsquery))
        if exclude is not None:
            query = query.where(SD.id != exclude)
        rows = db.session.scalars(query.order_by(func.ts_rank_cd(vector, tsquery).desc()).limit(limit))
        return [_hit(doc, escape(_shorten(doc.problem or doc.body))) for doc in rows]

    # --- "Mente du …?" -----------------------------------------------------------------------

    def spelling_candidates(self, word: str, limit: int) -> list[str]:
        """Indexed words within two edits of ``word``, nearest first (the word itself excluded)."""
        return self._corrector().suggest(word, limit=limit, maxdist=2)

    def _corrector(self) -> "WordList":
        """A corrector over the sorted word list, kept until the list changes (it only grows)."""
        version = db.session.scalar(select(func.count()).select_from(SearchWord))
        cached = self._words
        if cached is None or cached[0] != version:
            words = sorted(db.session.scalars(select(SearchWord.word)))
            cached = self._words = (version, WordList(words))
        return cached[1]

    def documents_with_word(self, word: str, limit: int) -> list[tuple[str, int]]:
        """Up to ``limit`` documents whose title, problem or body has this exact word (kind, id).

        The GIN index narrows to documents with the word's stem; the word itself is then checked
        the way the word list was made (spelling_words), so "lærer" is not vouched for by "lærerne".
        """
        text_ = SD.title.op("||")(" ").op("||")(SD.problem).op("||")(" ").op("||")(SD.body)
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", word) + "%"
        rows = db.session.execute(
            select(SD.kind, SD.object_id, SD.title, SD.problem, SD.body)
            .where(
                SD.search_vector.op("@@")(_tsquery(quoted(normalize_word(word)))),
                func.lower(text_).like(pattern, escape="\\"),
            )
            .order_by(SD.id)
            .limit(limit)
        ).all()
        return [
            (kind, object_id) for kind, object_id, *texts in rows if word in spelling_words(" ".join(texts))
        ][:limit]


class WordList:
    """Words within an edit distance of a misspelled one, found by walking a Levenshtein automaton
    over a sorted list (as Whoosh does over its lexicon; whoosh.spelling.ListCorrector misses
    insertions and deletions, so the list lookup is our own)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def _next(self, prefix: str) -> str | None:
        at = bisect.bisect_left(self.words, prefix)
        return self.words[at] if at < len(self.words) else None

    def suggest(self, word: str, limit: int, maxdist: int = 2) -> list[str]:
        """Nearest first (one edit before two), then alphabetically; never the word itself."""
        found: list[str] = []
        for distance in range(1, maxdist + 1):
            dfa = levenshtein_automaton(word, distance, 0).to_dfa()
            near = sorted(set(find_all_matches(dfa, self._next)) - {word, *found})
            found.extend(near[: limit - len(found)])
            if len(found) >= limit:
                break
        return found


def _add_words(documents: list[Document]) -> None:
    """Remember the words of these documents for "Mente du …?" (as Whoosh's spell field does)."""
    words: set[str] = set()
    for doc in documents:
        words |= spelling_words(" ".join((doc.title, doc.problem, doc.body)))
    ordered = sorted(words)
    for start in range(0, len(ordered), 5000):
        chunk = ordered[start : start + 5000]
        db.session.execute(insert(SearchWord).values([{"word": w} for w in chunk]).on_conflict_do_nothing())


def _reports(doc: Document) -> list[str]:
    """The reports' texts as searched: up to MAX_ATTACHMENT_CHARS together, without FILE_SEPARATOR."""
    reports, room = [], MAX_ATTACHMENT_CHARS
    for _name, text_ in doc.attachments:
        # The separator never occurs in a report, so a snippet can tell which file it comes from.
        reports.append(text_.replace(FILE_SEPARATOR, " ")[: max(room, 0)])
        room -= len(reports[-1])
    return reports


def _vector_text(doc: Document) -> str:
    """The row's weighted tsvector, as a literal: title A, problem B, body C, reports D."""
    fields = ((doc.title, "A"), (doc.problem, "B"), (doc.body, "C"), ("\n".join(_reports(doc)), "D"))
    return vector_literal(fields)


def _vector(doc: Document):
    return cast(literal(_vector_text(doc)), TSVECTOR)


def _snippet(doc: SD, parsed: QueryText) -> tuple[Markup, str]:
    """Marked passages from the problem, the body or the title, else from the first report that has
    the words (and that report's name), as Whoosh's hits have them; ("", "") when none has them."""
    texts = [doc.problem, doc.body, doc.title]
    reports = doc.attachment_text.split(FILE_SEPARATOR) if doc.attachment_text else []
    words = set(parsed.terms)
    if parsed.prefixes:  # the document's own terms that begin with a prefix*
        words |= {w for w in analyze(" ".join([*texts, *reports])) if w.startswith(parsed.prefixes)}
    for text_ in texts:
        snippet = highlight_text(SNIPPET_ANALYZER, text_, words)
        if snippet:
            return Markup(snippet), ""  # noqa: S704 - escaped by MarkFormatter
    names = doc.attachment_names.split("\n") if doc.attachment_names else []
    for name, text_ in zip(names, reports, strict=False):
        snippet = highlight_text(SNIPPET_ANALYZER, text_, words)
        if snippet:
            return Markup(snippet), name  # noqa: S704 - escaped by MarkFormatter
    return Markup(""), ""


def _row(doc: Document) -> dict[str, t.Any]:
    reports = _reports(doc)
    return {
        "kind": doc.kind,
        "object_id": doc.object_id,
        "title": doc.title,
        "problem": doc.problem,
        "body": doc.body,
        "attachment_text": FILE_SEPARATOR.join(reports),
        "attachment_names": "\n".join(name.replace("\n", " ") for name, _text in doc.attachments),
        "school": doc.school,
        "tools": " ".join(doc.tools),
        "focus": " ".join(doc.focus),
        "year": doc.year,
        "author": doc.author,
        "date": doc.date,
    }


def _hit(doc: SD, snippet: Markup) -> Hit:
    return Hit(
        kind=doc.kind,
        object_id=doc.object_id,
        title=doc.title,
        snippet=snippet or escape(_shorten(doc.problem or doc.body)),
        school=doc.school,
        year=doc.year,
        author=doc.author,
        date=doc.date,
        tools=doc.tools.split(),
        focus=doc.focus.split(),
    )


def _shorten(text_: str, limit: int = 220) -> str:
    text_ = " ".join(text_.split())
    return text_ if len(text_) <= limit else text_[:limit].rsplit(" ", 1)[0] + " …"
