"""POST /api/v1/auth/token: exchange email and password for an API token."""

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint

from network.api.problems import problem_response
from network.api.schemas import TokenRequestSchema, TokenSchema
from network.auth import service as auth
from network.auth.throttle import throttle_sign_in
from network.db import db

blp = Blueprint("api_auth", __name__, url_prefix="/api/v1/auth", description="API tokens")


@blp.route("/token")
class TokenResource(MethodView):
    decorators = [throttle_sign_in]  # the same counts as the sign-in form

    @blp.arguments(TokenRequestSchema)
    @blp.response(201, TokenSchema)
    @blp.alt_response(401, description="Wrong email or password")
    def post(self, body: dict):
        """Make a personal API token from email and password."""
        member = auth.authenticate(body["email"], body["password"])
        db.session.commit()  # failed attempts count towards the lock-out
        if member is None:
            return problem_response(401, _("Forkert e-mail eller adgangskode."))
        _token, plain = auth.create_api_token(member, body["name"] or "API")
        db.session.commit()
        return {"token": plain}
