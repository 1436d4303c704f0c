"""What goes into the index: one builder per searchable kind, all in this registry.

A builder takes an object id and returns the ``Document`` the search may show, or ``None`` when the
object is gone or must not be found (a draft, a hidden case, a hidden project). Each feature
registers its own kind from its ``searching.py`` (network/cases/searching.py,
network/projects/searching.py, network/meetups/searching.py), with the permission rules that decide
*whether* something is indexed and *which* fields are stored, so the search can never show more
than was put in. The searchable kinds are the keys of ``BUILDERS`` and nothing else: the outbox,
the search page, the API and account deletion all read them from here (docs/architecture.md).
"""

import dataclasses
import datetime as dt
import typing as t

from sqlalchemy import select

from network.db import db


@dataclasses.dataclass
class Document:
    kind: str
    object_id: int
    title: str
    problem: str = ""
    body: str = ""
    attachments: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (file name, text)
    school: str = ""
    tools: list[str] = dataclasses.field(default_factory=list)
    focus: list[str] = dataclasses.field(default_factory=list)
    year: int | None = None
    date: dt.datetime | None = None
    author: str = ""  # empty unless the author chose to be named
    status: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


@dataclasses.dataclass(frozen=True)
class Builder:
    build: t.Callable[[int], Document | None]
    ids: t.Callable[[], t.Iterable[int]]  # every id that should be in the index (for reindex, index-check)
    visible: t.Callable[[list[int]], set[int]]  # of these ids, the ones a member may see right now
    label: t.Any = ""  # the kind's name on the search page (a lazy string)
    endpoint: str = ""  # the page of one hit, e.g. "cases.detail"
    id_arg: str = ""  # that endpoint's id argument, e.g. "case_id"
    table: str = ""  # the table whose rows are this kind (account deletion re-indexes rows it rewrites)
    similar: bool = False  # offered as "similar content" next to a case or project


BUILDERS: dict[str, Builder] = {}


def register_builder(
    kind: str,
    build: t.Callable[[int], Document | None],
    ids: t.Callable,
    *,
    label: t.Any,
    endpoint: str,
    id_arg: str,
    table: str,
    similar: bool = False,
) -> None:
    """Make a kind searchable: how to build one document and which ids to index (those are the visible ones).

    ``ids`` is called with no argument for every id, and with ``among`` for the visible ones of those.
    """
    BUILDERS[kind] = Builder(build, ids, ids, label, endpoint, id_arg, table, similar)


def ids_where(model: t.Any, *conditions: t.Any) -> t.Callable[..., set[int]]:
    """The ``ids`` of a kind whose indexable rows are those of ``model`` meeting ``conditions``."""

    def ids(among: list[int] | None = None) -> set[int]:
        query = select(model.id).where(*conditions)
        if among is not None:
            query = query.where(model.id.in_(among))
        return set(db.session.scalars(query))

    return ids


def searchable_kinds() -> tuple[str, ...]:
    """Every kind the index holds, in the order the features registered them."""
    return tuple(BUILDERS)


def similar_kinds() -> tuple[str, ...]:
    """The kinds offered as similar content."""
    return tuple(kind for kind, builder in BUILDERS.items() if builder.similar)


def kind_of_table(table: str) -> str | None:
    """The searchable kind whose rows live in ``table``, if any."""
    return next((kind for kind, builder in BUILDERS.items() if builder.table == table), None)


# Documents that quote another kind's object: a change to a case re-indexes the meetups whose
# agenda names it, so a hidden case leaves no title in their snippets.
DEPENDENTS: dict[str, list[t.Callable[[int], t.Iterable[tuple[str, int]]]]] = {}


def register_dependents(kind: str, find: t.Callable[[int], t.Iterable[tuple[str, int]]]) -> None:
    """Say which other documents (kind, id) quote an object of this kind and must be rebuilt with it."""
    DEPENDENTS.setdefault(kind, []).append(find)


def with_dependents(keys: t.Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """The keys, then every document that quotes one of them, each once."""
    keys = list(dict.fromkeys(keys))
    extra = [dep for kind, object_id in keys for find in DEPENDENTS.get(kind, ()) for dep in find(object_id)]
    return list(dict.fromkeys([*keys, *extra]))


def visible_keys(keys: list[tuple[str, int]]) -> set[tuple[str, int]]:
    """Of these (kind, id) hits, the ones still visible in the database (the index may lag behind)."""
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in keys:
        by_kind.setdefault(kind, []).append(object_id)
    visible = set()
    for kind, ids in by_kind.items():
        builder = BUILDERS.get(kind)
        if builder is not None:
            visible |= {(kind, object_id) for object_id in builder.visible(ids)}
    return visible


def build_document(kind: str, object_id: int) -> Document | None:
    """The document for one object, or None when it must not (or no longer) be found."""
    builder = BUILDERS.get(kind)
    return builder.build(object_id) if builder else None


def indexable_keys() -> set[str]:
    """Every "kind:id" that should be in the index now."""
    return {f"{kind}:{object_id}" for kind, builder in BUILDERS.items() for object_id in builder.ids()}
