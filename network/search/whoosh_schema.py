"""The Whoosh schema, how a Document becomes its fields, and how a hit and its highlights are shown."""

import datetime as dt
import json
import re
import typing as t

from markupsafe import Markup, escape
from whoosh import highlight
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from network.search.analysis import (
    WORD_PATTERN,
    FoldStemFilter,
    danish_analyzer,
    pair_analyzer,
    spelling_analyzer,
    stopwords,
)
from network.search.backend import Hit as SearchHit
from network.search.documents import Document

TEXT_FIELDS = ("title", "problem", "body", "attachments")
FIELD_BOOSTS = {"title": 4.0, "problem": 2.5, "body": 1.5, "attachments": 1.0}
FACET_FIELDS = {"kind": "kind", "school": "school", "tool": "tools", "focus": "focus", "year": "year"}
MAX_QUERY_LENGTH = 500


PHRASE_FIELD = "phrases"
PAIR_FIELD = "pairs"
RELATED_FIELD = "related"  # all the text, with each word's parts and sources beside it
RELATED_BOOST = 1.0  # below the body (1.5): the word as written, in its field, counts more
# Marks a compound for its part and a word for its source. Whoosh's own tokenizer (fast, in C) and
# not the name-marking one: snippets are made for every hit on every page, and a name's parts,
# which the index never holds, are never asked for.
SNIPPET_ANALYZER = (
    RegexTokenizer(WORD_PATTERN)
    | LowercaseFilter()
    | StopFilter(stoplist=stopwords())
    | FoldStemFilter(expand=True)
)


def make_schema() -> Schema:
    """The fields: boosted text, one field with word positions for phrases, facets, what a hit shows.

    The four boosted text fields keep no word positions: matching and ranking read their postings
    for every query, and positions made those several times slower to read. A phrase is found
    from ``pairs`` (each two neighbouring words as one term; two words are one lookup, longer
    phrases are checked against the positions in ``phrases`` for the few documents with all their
    pairs) and scored on the boosted fields (network/search/whoosh_ranking.py). Indexes built
    before this keep positions in every text field and still work; `network reindex` moves them
    to this schema. ``related`` holds the whole text once more with each word's compound parts and
    sources beside it at a lower weight (analysis.py): a query word's alternatives (parts, sources,
    synonyms) are looked up there, one postings list each instead of one per boosted field.
    """
    analyzer = danish_analyzer()

    def boosted(field: str) -> TEXT:
        return TEXT(analyzer=analyzer, stored=True, phrase=False, field_boost=FIELD_BOOSTS[field])

    return Schema(
        key=ID(stored=True, unique=True),
        kind=ID(stored=True, sortable=True),
        object_id=NUMERIC(stored=True),
        title=boosted("title"),
        problem=boosted("problem"),
        body=boosted("body"),
        attachments=TEXT(analyzer=analyzer, phrase=False, field_boost=FIELD_BOOSTS["attachments"]),
        attachment_files=STORED(),  # JSON [[name, text], ...]: the report text for snippets, by file
        phrases=TEXT(analyzer=analyzer, phrase=True),
        related=TEXT(analyzer=danish_analyzer(expand=True), phrase=False, field_boost=RELATED_BOOST),
        pairs=TEXT(analyzer=pair_analyzer(), phrase=False),
        spell=TEXT(analyzer=spelling_analyzer(), phrase=False, spelling=True),
        school=ID(stored=True, sortable=True),
        tools=KEYWORD(stored=True, commas=True, scorable=False),
        focus=KEYWORD(stored=True, commas=True, scorable=False),
        year=ID(stored=True, sortable=True),
        date=DATETIME(stored=True, sortable=True),
        author=STORED(),
        status=STORED(),
    )


def document_fields(doc: Document) -> dict[str, t.Any]:
    attachment_text = "\n\n".join(text for _name, text in doc.attachments)
    all_text = "\n\n".join((doc.title, doc.problem, doc.body, attachment_text))
    fields = {
        "key": doc.key,
        "kind": doc.kind,
        "object_id": doc.object_id,
        "title": doc.title,
        "problem": doc.problem,
        "body": doc.body,
        "attachments": attachment_text,
        "attachment_files": json.dumps(doc.attachments, ensure_ascii=False) if doc.attachments else "",
        PHRASE_FIELD: all_text,
        PAIR_FIELD: all_text,
        RELATED_FIELD: all_text,
        "spell": " ".join((doc.title, doc.problem, doc.body)),
        "school": doc.school,
        "tools": ",".join(doc.tools),
        "focus": ",".join(doc.focus),
        "year": str(doc.year) if doc.year else "",
        "author": doc.author,
        "status": doc.status,
    }
    if doc.date is not None:
        fields["date"] = doc.date.replace(tzinfo=None)  # Whoosh stores naive UTC
    return {name: value for name, value in fields.items() if value not in ("", None)}


class MarkFormatter(highlight.Formatter):
    """<mark> around matches; everything else from the document is escaped."""

    between = " … "

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"

    def format_fragment(self, fragment, replace: bool = False) -> str:
        output, index_, text = [], fragment.startchar, fragment.text
        for token in fragment.matches:
            if token.startchar < index_:  # a word's part or source, at the place of the word itself
                continue
            if token.startchar > index_:
                output.append(str(escape(text[index_ : token.startchar])))
            output.append(self.format_token(text, token, replace))
            index_ = token.endchar
        output.append(str(escape(text[index_ : fragment.endchar])))
        return "".join(output)

    def format(self, fragments, replace: bool = False) -> str:
        """The passages in order, joined by "…"; a passage cut from inside the text says so too."""
        fragments = list(fragments)
        if not fragments:
            return ""
        text = self.between.join(self.format_fragment(f, replace=replace) for f in fragments)
        # Cut where words were left out, not where only a full stop or a space was.
        starts_inside = re.search(r"\w", fragments[0].text[: fragments[0].startchar])
        ends_inside = re.search(r"\w", fragments[-1].text[fragments[-1].endchar :])
        return ("… " if starts_inside else "") + text + (" …" if ends_inside else "")


def highlight_text(analyzer, text: str | None, words: t.Collection[str]) -> str:
    """Up to two passages of ``text`` around the words, marked and escaped; "" when none is there.

    Any backend's: ``analyzer`` makes the text's terms (a word's parts and sources too, so a hit on
    a compound's part marks the whole compound), ``words`` are the query's terms.
    """
    if not text or not words:
        return ""
    fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
    return highlight.highlight(
        text, frozenset(words), analyzer, fragmenter, MarkFormatter(), top=2, mode="index"
    )


def stored_hit(hit: t.Mapping, score: float, snippet: Markup, snippet_file: str) -> SearchHit:
    """A hit for the page from a document's stored fields."""
    date = hit.get("date")
    return SearchHit(
        kind=hit["kind"],
        object_id=hit["object_id"],
        title=hit.get("title", ""),
        snippet=snippet,
        snippet_file=snippet_file,
        school=hit.get("school", ""),
        year=int(hit["year"]) if hit.get("year") else None,
        author=hit.get("author", ""),
        status=hit.get("status", ""),
        date=date.replace(tzinfo=dt.UTC) if date else None,
        tools=[v for v in hit.get("tools", "").split(",") if v],
        focus=[v for v in hit.get("focus", "").split(",") if v],
        score=score or 0.0,
    )


def shorten(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
