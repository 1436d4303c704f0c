"""Members, schools and one's own profile."""

from flask.views import MethodView
from flask_smorest import Blueprint

from network.api.schemas import (
    MemberFilterArgs,
    MemberPageSchema,
    MemberSchema,
    MePatchSchema,
    MeSchema,
    SchoolSchema,
)
from network.api.security import BEARER_DOC, current_member, token_required
from network.db import commit
from network.members import service

blp = Blueprint("api_members", __name__, url_prefix="/api/v1", description="Members and schools")


def page_body(page, items: list) -> dict:  # noqa: ANN001 - a Flask-SQLAlchemy Pagination
    """The common shape of a paginated answer."""
    return {
        "items": items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }


@blp.route("/members")
class MembersResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.arguments(MemberFilterArgs, location="query")
    @blp.response(200, MemberPageSchema)
    def get(self, args: dict):
        """The directory, filtered and paginated; private fields are left out."""
        viewer = current_member()
        filters = service.DirectoryFilters(
            q=args["q"],
            school_id=args["school"],
            region=args["region"],
            tool=args["tool"],
            focus=args["focus"],
            open_for_sparring=args["open_for_sparring"],
        )
        page = service.search_directory(viewer, filters, page=args["page"], per_page=args["per_page"])
        return page_body(page, [service.visible_profile(viewer, m) for m in page.items])


@blp.route("/members/<int:member_id>")
class MemberResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(200, MemberSchema)
    @blp.alt_response(404, description="No such member")
    def get(self, member_id: int):
        """One member's profile as the caller may see it."""
        member = service.get_member(member_id)
        return service.visible_profile(current_member(), member)


@blp.route("/schools")
class SchoolsResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(200, SchoolSchema(many=True))
    def get(self):
        """Every school in the network."""
        return [
            {
                "id": s.id,
                "name": s.name,
                "city": s.city,
                "region": s.region,
                "kind": s.kind,
                "education_areas": list(s.education_areas),
            }
            for s in service.list_schools()
        ]


@blp.route("/me")
class MeResource(MethodView):
    decorators = [token_required]

    @blp.doc(**BEARER_DOC)
    @blp.response(200, MeSchema)
    def get(self):
        """The caller's own profile, every field."""
        return _me_body()

    @blp.doc(**BEARER_DOC)
    @blp.arguments(MePatchSchema)
    @blp.response(200, MeSchema)
    @blp.alt_response(400, description="A rule was broken, e.g. an unknown school")
    def patch(self, body: dict):
        """Change fields of the caller's own profile."""
        me = current_member()
        service.update_profile(me, me, service.ProfileChanges(**body))
        commit()
        return _me_body()


def _me_body() -> dict:
    me = current_member()
    return {
        **service.visible_profile(me, me),
        "private_fields": list(me.private_fields or []),
        "locale": me.locale,
        "email_frequency": me.email_frequency,
    }
