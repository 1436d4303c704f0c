"""PostgreSQL full-text search behind the same interface as Whoosh, for several processes or hosts.

Documents live in ``search_documents`` (built by the same builders, drained from the same outbox).
Matching uses the ``danish`` configuration over folded text (æ→ae, ø→oe, å→aa, as in Whoosh), so
``laerer`` finds ``lærer``; ranking with ``ts_rank_cd`` over weighted fields (title A, problem B,
body C, reports D); snippets with ``ts_headline``. No "Mente du …?" here (it would need pg_trgm).
"""

import collections
import contextlib
import re
import time
import typing as t

from markupsafe import Markup, escape
from sqlalchemy import delete, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert

from network.db import db
from network.search.analysis import analyze, fold
from network.search.backend import FACETS, Hit, IndexBusy, SearchQuery, SearchResults
from network.search.documents import Document
from network.search.models import SearchDocument as SD

ADVISORY_LOCK = 4_004_001  # one drain at a time across processes
START, STOP = "\x02", "\x03"  # ts_headline markers, replaced by <mark> after escaping


def _folded(column):  # noqa: ANN001, ANN202
    return func.replace(func.replace(func.replace(func.lower(column), "æ", "ae"), "ø", "oe"), "å", "aa")


def _vector():  # noqa: ANN202
    parts = [(SD.title, "A"), (SD.problem, "B"), (SD.body, "C"), (SD.attachment_text, "D")]
    vectors = [
        func.setweight(
            func.to_tsvector(literal_column("'danish'"), _folded(col)), literal_column(f"'{w}'::\"char\"")
        )
        for col, w in parts
    ]
    vector = vectors[0]
    for more in vectors[1:]:
        vector = vector.op("||")(more)
    return vector


def _tsquery(q: str, use_or: bool = False):  # noqa: ANN202
    """websearch_to_tsquery over the folded query; prefix* words become :* prefix matches."""
    q = fold(q.lower())
    prefixes = re.findall(r"(\w+)\*", q)
    plain = re.sub(r"\w+\*", " ", q)
    if use_or:
        plain = " or ".join(re.findall(r"\w+", plain))
    query = func.websearch_to_tsquery(literal_column("'danish'"), plain)
    for prefix in prefixes:
        query = query.op("&&" if not use_or else "||")(
            func.to_tsquery(literal_column("'simple'"), f"{prefix}:*")
        )
    return query


def _headline(column, q: str):  # noqa: ANN001, ANN202
    words = re.findall(r"\w+", q.lower())
    raw = func.websearch_to_tsquery(literal_column("'danish'"), " or ".join(words))
    folded = func.websearch_to_tsquery(literal_column("'danish'"), " or ".join(fold(w) for w in words))
    options = (
        f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter= … "
    )
    return func.ts_headline(literal_column("'danish'"), column, raw.op("||")(folded), options)


def _markup(headline: str) -> Markup:
    if START not in (headline or ""):
        return Markup("")
    escaped = str(escape(headline))
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704 - escaped above


class PostgresBackend:
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
            statement = insert(SD).values(**values)
            db.session.execute(
                statement.on_conflict_do_update(
                    constraint="uq_search_documents_kind_object",
                    set_={k: statement.excluded[k] for k in values if k not in ("kind", "object_id")},
                )
            )

    def rebuild(self, documents: t.Iterable[Document]) -> int:
        with self.writing(60.0):
            db.session.execute(delete(SD))
            count = 0
            for doc in documents:
                db.session.add(SD(**_row(doc)))
                count += 1
            db.session.flush()
        return count

    def keys(self) -> set[str]:
        return {f"{kind}:{oid}" for kind, oid in db.session.execute(select(SD.kind, SD.object_id))}

    def _filtered(self, query: SearchQuery, tsquery):  # noqa: ANN001, ANN202
        conditions = []
        if tsquery is not None:
            conditions.append(_vector().op("@@")(tsquery))
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
        tsquery = _tsquery(q) if has_words else None
        conditions = self._filtered(query, tsquery)
        total = db.session.scalar(select(func.count(SD.id)).where(*conditions)) or 0
        used_or = False
        if total == 0 and has_words and len(re.findall(r"\w+", q)) > 1:
            tsquery = _tsquery(q, use_or=True)
            conditions = self._filtered(query, tsquery)
            total = db.session.scalar(select(func.count(SD.id)).where(*conditions)) or 0
            used_or = total > 0
        order = (
            [SD.date.desc().nulls_last()]
            if query.sort == "date" or tsquery is None
            else [func.ts_rank_cd(_vector(), tsquery).desc(), SD.date.desc().nulls_last()]
        )
        columns = [SD]
        if has_words:
            columns += [
                _headline(SD.problem.op("||")(" \n ").op("||")(SD.body), q).label("snippet"),
                _headline(SD.attachment_text, q).label("file_snippet"),
            ]
        rows = db.session.execute(
            select(*columns)
            .where(*conditions)
            .order_by(*order, SD.id)
            .limit(query.per_page)
            .offset((query.page - 1) * query.per_page)
        ).all()
        hits = []
        for row in rows:
            doc = row[0]
            snippet, snippet_file = Markup(""), ""
            if has_words:
                snippet = _markup(row.snippet)
                if not snippet and row.file_snippet:
                    snippet = _markup(row.file_snippet)
                    snippet_file = doc.attachment_names.split("\n")[0] if snippet else ""
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
        # The words are already folded and Snowball-stemmed, like the lexemes of the danish vector.
        tsquery = func.to_tsquery(literal_column("'simple'"), " | ".join(words))
        vector = _vector()
        query = select(SD).where(SD.kind.in_(kinds), vector.op("@@")(tsquery))
        if exclude is not None:
            query = query.where(SD.id != exclude)
        rows = db.session.scalars(query.order_by(func.ts_rank_cd(vector, tsquery).desc()).limit(limit))
        return [_hit(doc, escape(_shorten(doc.problem or doc.body))) for doc in rows]


def _row(doc: Document) -> dict[str, t.Any]:
    return {
        "kind": doc.kind,
        "object_id": doc.object_id,
        "title": doc.title,
        "problem": doc.problem,
        "body": doc.body,
        "attachment_text": "\n\n".join(text_ for _name, text_ in doc.attachments),
        "attachment_names": "\n".join(name for name, _text in doc.attachments),
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
