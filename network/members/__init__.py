"""Schools, members, profiles and the directory."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Profiles and the directory, pages and API; the profile in "Mine data"; last activity."""
    from flask import g, request
    from flask_login import current_user

    from network.api import register_api
    from network.members import api, privacy  # noqa: F401 - privacy registers its handlers
    from network.members.service import touch_last_active
    from network.members.views import bp

    app.register_blueprint(bp)
    register_api(api.blp)

    @app.after_request
    def record_activity(response):  # a Response
        # Only page and API requests count as activity; static files never load the member.
        if request.endpoint in (None, "static"):
            return response
        member = g.get("api_member") or (current_user if current_user.is_authenticated else None)
        if member is not None:
            touch_last_active(member)
        return response
