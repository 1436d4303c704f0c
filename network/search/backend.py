"""The search service's interface to an index, and the shapes both backends return."""

import dataclasses
import datetime as dt
import typing as t

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from network.errors import DomainError

FACETS = ("kind", "school", "tool", "focus", "year")
SORTS = ("relevance", "date")


class IndexUnavailable(DomainError):
    """The index folder is missing or damaged; `network reindex` rebuilds it from the database."""

    status = 503
    default_message = _l(
        "Søgeindekset mangler eller er beskadiget. Det kan genopbygges med 'network reindex'."
    )

    def __init__(self, reason: str = "") -> None:
        self.reason = reason  # "missing" or "corrupt", for logs and index-check
        super().__init__()


class IndexBusy(Exception):
    """Another writer holds the index; the outbox keeps the work for the next drain."""


@dataclasses.dataclass
class SearchQuery:
    q: str
    kind: str = ""
    school: str = ""
    tool: str = ""
    focus: str = ""
    year: int | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10

    @property
    def filters(self) -> dict[str, t.Any]:
        return {name: value for name in FACETS if (value := getattr(self, name)) not in ("", None)}


@dataclasses.dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    snippet: Markup = Markup("")
    snippet_file: str = ""  # the attachment the snippet comes from, if any
    school: str = ""
    year: int | None = None
    author: str = ""
    status: str = ""
    date: dt.datetime | None = None
    tools: list[str] = dataclasses.field(default_factory=list)
    focus: list[str] = dataclasses.field(default_factory=list)
    score: float = 0.0


@dataclasses.dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str = ""  # "Mente du …?"
    used_or: bool = False  # nothing matched every word, so these match some of them
    corrected_from: str = ""  # nothing matched this query, so these are the hits of ``suggestion``

    def __post_init__(self) -> None:
        # Years read in time order, newest first; the other facets by count (as the backend gives).
        if self.facets.get("year"):
            self.facets["year"] = sorted(self.facets["year"], key=lambda pair: pair[0], reverse=True)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))

    @property
    def has_prev(self) -> bool:
        return self.query.page > 1

    @property
    def has_next(self) -> bool:
        return self.query.page < self.pages


class Backend(t.Protocol):
    """What the service needs of an index; Whoosh and PostgreSQL both provide it."""

    def apply(self, documents: list, deleted_keys: list[str], timeout: float) -> None: ...

    def rebuild(self, documents: t.Iterable, processes: int = 1) -> int: ...

    def keys(self) -> set[str]: ...

    def search(self, query: SearchQuery) -> SearchResults: ...

    def similar(self, key: str, kinds: tuple[str, ...], limit: int) -> list[Hit]: ...

    def similar_to_text(self, text: str, kinds: tuple[str, ...], limit: int) -> list[Hit]: ...

    def status(self) -> str: ...

    def spelling_candidates(self, word: str, limit: int) -> list[str]:
        """Indexed words near a misspelled one, best first, for "Mente du …?"."""

    def documents_with_word(self, word: str, limit: int) -> list[tuple[str, int]]:
        """(kind, id) of up to ``limit`` indexed documents with this exact word in their text."""

    def compact(self, timeout: float) -> None:
        """Physically drop deleted documents (after an account is erased)."""
