"""The network's own near-synonyms (network/search/synonyms.txt), added to what a member searches for.

They are applied to the query only, with a lower weight than the word typed, so nothing needs to be
reindexed when the file changes: it is read again at the next search after it changed.
NETWORK_SEARCH_SYNONYMS names another file in the same format.
"""

import logging
import os
import typing as t
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_FILE = Path(__file__).with_name("synonyms.txt")

Terms = tuple[str, ...]  # one entry's index terms: one word, or several for a phrase


class Table(t.NamedTuple):
    version: tuple  # the file's path, time and size when read: a new version after any change
    alternatives: dict[str, tuple[Terms, ...]]  # a word's index term → the other entries of its groups


_table = Table((), {})


def synonyms_path() -> Path:
    return Path(os.environ.get("NETWORK_SEARCH_SYNONYMS") or DEFAULT_FILE)


def table() -> Table:
    """The synonyms as index terms, read again when the file has changed since the last call."""
    global _table  # one table per process, replaced whole (readers never see half)
    path = synonyms_path()
    try:
        stat = path.stat()
        version: tuple = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        version = (str(path), None)
    if _table.version != version:
        _table = Table(version, _read(path))
    return _table


def _read(path: Path) -> dict[str, tuple[Terms, ...]]:
    from network.search.analysis import analyze

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        log.warning("search synonyms not read from %s: %s", path, error)
        return {}
    alternatives: dict[str, list[Terms]] = {}
    for line in lines:
        if line.lstrip().startswith("#"):
            continue
        entries = [tuple(analyze(entry)) for entry in line.split(",")]
        entries = list(dict.fromkeys(entry for entry in entries if entry))  # each once, in file order
        for entry in entries:
            if len(entry) == 1:  # a phrase is found through its group's words, not looked up itself
                others = alternatives.setdefault(entry[0], [])
                others += [other for other in entries if other != entry and other not in others]
    return {term: tuple(others) for term, others in alternatives.items() if others}
