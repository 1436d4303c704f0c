"""The search page (/soeg) and the similar-content JSON the case form asks while a member writes."""

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.errors import DomainError
from network.search import service
from network.search.backend import FACETS, Hit, IndexUnavailable, SearchQuery
from network.search.documents import BUILDERS

bp = Blueprint("search", __name__)


def hit_url(hit: Hit) -> str:
    """The page a hit links to."""
    builder = BUILDERS[hit.kind]
    return url_for(builder.endpoint, **{builder.id_arg: hit.object_id})


def query_from_args(args) -> SearchQuery:
    """A SearchQuery from ?q=&kind=&school=&tool=&focus=&year=&sort=&side= (bad values are ignored)."""
    year = args.get("year", "")
    return SearchQuery(
        q=args.get("q", "")[:500],
        kind=args.get("kind", "") if args.get("kind", "") in BUILDERS else "",
        school=args.get("school", "")[:200],
        tool=args.get("tool", "")[:40],
        focus=args.get("focus", "")[:40],
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        sort=args.get("sort", "relevance"),
        page=args.get("side", 1, type=int) or 1,
        per_page=current_app.config["SEARCH_PAGE_SIZE"],
    )


@bp.route("/soeg")
@login_required
def index():
    """One search over AL projects, cases and meetups, with facets and highlighted snippets."""
    query = query_from_args(request.args)
    results, problem = None, ""
    status = 200
    if query.q.strip() or query.filters:
        try:  # ?ordret=1: "Søg i stedet efter …", the words as typed even when they match nothing
            results = service.search(current_user, query, correct=not request.args.get("ordret"))
        except IndexUnavailable:
            problem = _(
                "Søgningen virker ikke lige nu: søgeindekset mangler eller er beskadiget. Resten af siden "
                "virker som normalt. En administrator kan genopbygge indekset med 'network reindex'."
            )
            status = 503
        except DomainError as error:
            problem = str(error.message)
    return (
        render_template(
            "search/index.html",
            query=query,
            results=results,
            problem=problem,
            facets=FACETS,
            hit_url=hit_url,
            kind_labels={kind: builder.label for kind, builder in BUILDERS.items()},
        ),
        status,
    )


@bp.route("/soeg/lignende")
@login_required
def similar():
    """Cases and AL projects like the text in ?text= (JSON), for the new-case form while typing."""
    text = request.args.get("text", "")[:5000]
    limit = min(max(request.args.get("limit", 5, type=int) or 5, 1), 10)
    hits = service.similar_to_text(current_user, text, limit=limit)
    return jsonify(
        {
            "items": [
                {
                    "kind": hit.kind,
                    "id": hit.object_id,
                    "title": hit.title,
                    "url": hit_url(hit),
                    "snippet": str(hit.snippet),
                    "school": hit.school,
                    "year": hit.year,
                }
                for hit in hits
            ]
        }
    )
