"""Search as the rest of the app sees it: search, similar content, draining and rebuilding the index."""

import dataclasses
import logging
import re
import typing as t

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from network.db import db
from network.errors import DomainError, NotAllowed
from network.search import documents as docs
from network.search.analysis import MAX_SPELLING_WORD, is_stopword
from network.search.backend import (
    FACETS,
    SORTS,
    Backend,
    Hit,
    IndexBusy,
    IndexUnavailable,
    SearchQuery,
    SearchResults,
)
from network.search.outbox import SearchOutbox, drain_outbox, written_in

log = logging.getLogger(__name__)

__all__ = [
    "FACETS",
    "SORTS",
    "Hit",
    "IndexUnavailable",
    "SearchQuery",
    "SearchResults",
    "drain",
    "did_you_mean",
    "drain_quietly",
    "index_check",
    "rebuild",
    "search",
    "similar_to",
    "similar_to_text",
]


class BadQuery(DomainError):
    default_message = "Søgningen kunne ikke forstås."


def backend() -> Backend:
    """The configured backend, one per app (so its searchers are reused across requests)."""
    app = current_app._get_current_object()
    found = app.extensions.get("network_search")
    if found is None:
        if app.config["SEARCH_BACKEND"] == "postgres":
            from network.search.postgres_backend import PostgresBackend

            found = PostgresBackend()
        else:
            from network.search.whoosh_backend import WhooshBackend

            found = WhooshBackend(app.config["SEARCH_INDEX_DIR"])
        app.extensions["network_search"] = found
    return found


def _require_member(viewer: t.Any) -> None:
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        raise NotAllowed()


def search(viewer: t.Any, query: SearchQuery, correct: bool = True) -> SearchResults:
    """Hits the viewer may see, with snippets, facet counts and a "Mente du …?" suggestion.

    When nothing matches and the suggestion is a sure one, its hits are shown straight away
    (``results.corrected_from`` holds what was typed); ``correct=False`` searches only what was typed.
    """
    _require_member(viewer)
    if query.sort not in SORTS:
        query.sort = "relevance"
    query.page = max(1, min(query.page, 1000))
    try:
        return find(backend(), query, correct=correct)
    except (IndexUnavailable, DomainError):
        raise
    except Exception as error:  # the parser is robust, but a query must never become a 500
        log.warning("search failed for %r: %s", query.q, error)
        raise BadQuery(
            _("Søgningen kunne ikke forstås. Prøv med færre tegn eller uden specialtegn.")
        ) from error


def find(
    index: Backend,
    query: SearchQuery,
    visible: t.Callable[[list[tuple[str, int]]], set[tuple[str, int]]] = docs.visible_keys,
    correct: bool = True,
) -> SearchResults:
    """The index's answer with only visible hits, and "Mente du …?" when not every word matched.

    With ``correct``, a query without hits whose suggestion is sure (``is_sure_correction``) and has
    hits answers with the suggestion's hits instead, as "Viser resultater for …".
    """
    results = _visible_results(index, query, visible)
    # "Mente du …?" only when the words did not all match: a known word needs no correction.
    if query.q.strip() and (results.used_or or results.total == 0):
        results.suggestion = did_you_mean(index, query.q, visible)
        if correct and results.total == 0 and is_sure_correction(query.q, results.suggestion):
            corrected = _visible_results(index, dataclasses.replace(query, q=results.suggestion), visible)
            if corrected.total:
                corrected.suggestion, corrected.corrected_from = results.suggestion, query.q
                return corrected
    return results


def _visible_results(index: Backend, query: SearchQuery, visible: t.Callable) -> SearchResults:
    results = index.search(query)
    # The index can lag a moment behind the database: never show what was hidden or unpublished since.
    shown = visible([(hit.kind, hit.object_id) for hit in results.hits])
    results.hits = [hit for hit in results.hits if (hit.kind, hit.object_id) in shown]
    return results


def is_sure_correction(typed: str, suggestion: str) -> bool:
    """A suggestion sure enough to search for at once: each changed word one edit away, two from 8 letters."""
    if not suggestion:
        return False
    pairs = list(zip(re.findall(r"\w+\*?", typed.lower())[:8], suggestion.split(), strict=False))
    changed = [(a, b) for a, b in pairs if a != b]
    return bool(changed) and all(_edits(a, b) <= (2 if len(a) >= 8 else 1) for a, b in changed)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions."""
    row = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, char_b in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (char_a != char_b))
    return row[-1]


def did_you_mean(
    index: Backend,
    text: str,
    visible: t.Callable[[list[tuple[str, int]]], set[tuple[str, int]]] = docs.visible_keys,
) -> str:
    """The query with each unknown word replaced by the nearest known one, or "" when none changed.

    "Known" means a document the reader may see has the word. The index may still hold words of
    content hidden, moderated or deleted since (Whoosh keeps a deleted document's words until its
    segment merges), and a suggestion must never reveal a word only such content has.
    """
    words = re.findall(r"\w+\*?", text.lower())[:8]
    changed, out = False, []
    for word in words:
        if not 4 <= len(word) <= MAX_SPELLING_WORD or word.endswith("*") or _seen(index, word, visible):
            out.append(word)
            continue
        found = next((c for c in index.spelling_candidates(word, 5) if _seen(index, c, visible)), None)
        out.append(found or word)
        changed = changed or found is not None
    return " ".join(out) if changed else ""


def _seen(index: Backend, word: str, visible: t.Callable) -> bool:
    """Whether a document every member may see has this word (stop words are nobody's secret)."""
    if is_stopword(word):
        return True
    return bool(visible(index.documents_with_word(word, 20)))


def similar_to(kind: str, object_id: int, viewer: t.Any, limit: int = 5) -> list[Hit]:
    """Projects and cases like this one (never the object itself), as the viewer may see them."""
    _require_member(viewer)
    try:
        hits = backend().similar(f"{kind}:{object_id}", docs.similar_kinds(), limit)
    except IndexUnavailable:
        return []
    return _visible(hits)


def similar_to_text(viewer: t.Any, text: str, limit: int = 5) -> list[Hit]:
    """Cases and projects like a text being written (the new-case form asks while the member types)."""
    _require_member(viewer)
    try:
        hits = backend().similar_to_text(text[:5000], docs.similar_kinds(), limit)
    except IndexUnavailable:
        return []
    return _visible(hits)


def _visible(hits: list[Hit]) -> list[Hit]:
    visible = docs.visible_keys([(hit.kind, hit.object_id) for hit in hits])
    return [hit for hit in hits if (hit.kind, hit.object_id) in visible]


def index_status() -> str:
    """ok, missing or corrupt."""
    return backend().status()


# --- writing the index ---------------------------------------------------------------------------


def drain(timeout: float = 10.0) -> int:
    """Index the outbox's rows now; builds the whole index first when there is none yet."""
    index = backend()
    if not index.exists():
        rebuild()
        return 0
    return drain_outbox(index, timeout=timeout)


def drain_quietly(timeout: float) -> int:
    """``drain`` for after-commit hooks: a busy or broken index leaves the work in the outbox."""
    try:
        return drain(timeout=timeout)
    except (IndexBusy, IndexUnavailable) as error:
        log.info("search outbox left for later: %s", error)
    except Exception:  # indexing must never fail the request that changed the data
        log.exception("search outbox drain failed; rows stay in the outbox")
    db.session.rollback()
    return 0


def drain_after_commit(session: Session) -> None:
    """After a commit that wrote to the outbox, index it in this process (never failing the request).

    A SQLAlchemy ``after_commit`` listener, installed by network.search.init_app.
    """
    if not written_in(session):
        return
    app = current_app._get_current_object()
    if not app.config.get("SEARCH_DRAIN_AFTER_COMMIT", True):
        return
    # A fresh app context gets a fresh database session: the committing one may not run SQL here.
    with app.app_context():
        drain_quietly(timeout=2.0)


def forget_deleted(timeout: float = 30.0) -> None:
    """Index what is waiting, then drop deleted documents from the index files for good.

    Called after an account is erased: a deleted document must not linger in a segment file.
    """
    drain(timeout=timeout)
    backend().compact(timeout)


def rebuild(processes: int = 1) -> int:
    """Build the index from the database into a fresh folder and swap it in; returns the doc count.

    ``processes`` > 1 lets the Whoosh backend analyse in parallel (forks: for the command line only).

    The outbox rows present when the rebuild began are covered by it and removed afterwards; rows
    committed during the rebuild are drained into the new index at the end. The covered rows are
    remembered by id, not as "every id up to the largest": on PostgreSQL a transaction holding a
    smaller id can commit after a larger one, and its change might come too late for the rebuild.
    """
    covered = list(db.session.scalars(select(SearchOutbox.id)))

    def everything() -> t.Iterator[docs.Document]:
        for builder in docs.BUILDERS.values():
            for object_id in sorted(builder.ids()):
                document = builder.build(object_id)
                if document is not None:
                    yield document

    index = backend()
    count = index.rebuild(everything(), processes=processes)
    for start in range(0, len(covered), 1000):
        chunk = covered[start : start + 1000]
        db.session.execute(SearchOutbox.__table__.delete().where(SearchOutbox.id.in_(chunk)))
    db.session.commit()
    drain_outbox(index)  # what changed while the rebuild ran
    return count


def index_check() -> tuple[bool, str]:
    """Compare the database with the index (counts and ids); (in step, a report in Danish)."""
    expected = docs.indexable_keys()
    try:
        present = backend().keys()
    except IndexUnavailable as error:
        return False, f"Søgeindekset kan ikke åbnes ({error.reason}). Kør 'network reindex'."
    missing, extra = sorted(expected - present), sorted(present - expected)
    report = [f"Databasen: {len(expected)} dokumenter. Indekset: {len(present)} dokumenter."]
    if missing:
        report.append(f"Mangler i indekset ({len(missing)}): {', '.join(missing[:20])}")
    if extra:
        report.append(f"I indekset, men ikke synlige i databasen ({len(extra)}): {', '.join(extra[:20])}")
    waiting = db.session.scalar(select(func.count(SearchOutbox.id))) or 0
    if waiting:
        report.append(f"{waiting} ændringer venter i udbakken.")
    return not missing and not extra, "\n".join(report)
