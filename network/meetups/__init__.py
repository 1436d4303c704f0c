"""Cross-school meetups (netværksmøder): RSVP with waitlist, date polls, calendars, reminders."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Meetup pages and API, search documents, reminders and "Mine data"."""
    from network.api import register_api
    from network.meetups import api, privacy, reminders, searching  # noqa: F401 - they register themselves
    from network.meetups.views import bp

    app.register_blueprint(bp)
    register_api(api.blp)
