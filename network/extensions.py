"""Unbound extension objects; create_app() binds them to an app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_socketio import SocketIO
from flask_talisman import Talisman
from flask_wtf import CSRFProtect

from network.db import db

__all__ = ["api", "babel", "csrf", "db", "limiter", "login_manager", "migrate", "socketio", "talisman"]

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
migrate = Migrate()
limiter = Limiter(key_func=get_remote_address)
socketio = SocketIO()
talisman = Talisman()
api = Api()
