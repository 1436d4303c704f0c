"""Search over AL projects, cases and meetups."""

import typing as t

import marshmallow as ma
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import validate

from network.api.schemas import Schema
from network.api.security import BEARER_DOC, current_member, token_required
from network.search import service
from network.search.backend import SearchQuery
from network.search.documents import searchable_kinds

blp = Blueprint("api_search", __name__, url_prefix="/api/v1", description="Full-text search")


class _SearchableKind(validate.OneOf):
    """ "" or a kind some feature registered with the search (read when used, not when imported)."""

    def __init__(self) -> None:
        super().__init__([])

    @property
    def choices(self) -> list[str]:
        return ["", *searchable_kinds()]

    @choices.setter
    def choices(self, _value: t.Any) -> None:
        pass

    @property
    def choices_text(self) -> str:
        return ", ".join(str(choice) for choice in self.choices)

    @choices_text.setter
    def choices_text(self, _value: t.Any) -> None:
        pass


class SearchArgs(Schema):
    q = ma.fields.String(load_default="", validate=validate.Length(max=500))
    kind = ma.fields.String(load_default="", validate=_SearchableKind())
    school = ma.fields.String(load_default="")
    tool = ma.fields.String(load_default="")
    focus = ma.fields.String(load_default="")
    year = ma.fields.Integer(load_default=None)
    sort = ma.fields.String(load_default="relevance", validate=validate.OneOf(["relevance", "date"]))
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    verbatim = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Search the words as typed, even when they match nothing"},
    )


class HitSchema(Schema):
    kind = ma.fields.String(required=True)
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    snippet = ma.fields.String(metadata={"description": "HTML: document text escaped, matches in <mark>"})
    snippet_file = ma.fields.String(metadata={"description": "The report the snippet comes from, if any"})
    school = ma.fields.String()
    year = ma.fields.Integer(allow_none=True)
    author = ma.fields.String(metadata={"description": "Empty for anonymous cases"})


class FacetValueSchema(Schema):
    value = ma.fields.String(required=True)
    count = ma.fields.Integer(required=True)


class SearchResultSchema(Schema):
    total = ma.fields.Integer(required=True)
    page = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)
    hits = ma.fields.List(ma.fields.Nested(HitSchema), required=True)
    facets = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.Nested(FacetValueSchema)), required=True
    )
    suggestion = ma.fields.String(metadata={"description": "'Did you mean' query, or empty"})
    used_or = ma.fields.Boolean(metadata={"description": "True when no hit had every word"})
    corrected_from = ma.fields.String(
        metadata={
            "description": "When the query matched nothing: the query as typed; the hits are then "
            "those of 'suggestion' (search again with verbatim=true for the typed words)"
        }
    )


@blp.route("/search")
class SearchResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, SearchResultSchema)
    @blp.alt_response(503, description="The index is missing or damaged")
    def get(self, args: dict):
        """Hits the caller may see, with highlighted snippets and facet counts."""
        verbatim = args.pop("verbatim")
        query = SearchQuery(**args, per_page=current_app.config["SEARCH_PAGE_SIZE"])
        results = service.search(current_member(), query, correct=not verbatim)
        return {
            "total": results.total,
            "page": query.page,
            "pages": results.pages,
            "hits": [
                {
                    "kind": h.kind,
                    "id": h.object_id,
                    "title": h.title,
                    "snippet": str(h.snippet),
                    "snippet_file": h.snippet_file,
                    "school": h.school,
                    "year": h.year,
                    "author": h.author,
                }
                for h in results.hits
            ],
            "facets": {
                name: [{"value": v, "count": c} for v, c in values] for name, values in results.facets.items()
            },
            "suggestion": results.suggestion,
            "used_or": results.used_or,
            "corrected_from": results.corrected_from,
        }
