"""Sign-in throttling, shared by the sign-in form and the API's token endpoint.

Two counts, each shared by both doors: one per client address (LOGIN_RATE_LIMIT) and one per
account (LOGIN_ACCOUNT_RATE_LIMIT), so neither switching door nor switching address buys an
attacker more guesses. The address is the client's behind PROXY_COUNT proxies (ProxyFix).
"""

import typing as t

from flask import current_app, request
from flask_limiter.util import get_remote_address

from network.extensions import limiter

F = t.TypeVar("F", bound=t.Callable[..., t.Any])


def _address_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """The account a sign-in names, as the form or the JSON body gives it; else the address."""
    data = request.get_json(silent=True) if request.is_json else request.form
    email = data.get("email") if isinstance(data, t.Mapping) else None
    if isinstance(email, str) and email.strip():
        return "account:" + email.strip().casefold()
    return get_remote_address()


_per_address = limiter.shared_limit(_address_limit, scope="sign-in", methods=["POST"])
_per_account = limiter.shared_limit(
    _account_limit, scope="sign-in-account", key_func=_account_key, methods=["POST"]
)


def throttle_sign_in(view: F) -> F:
    """Count a POST to ``view`` against the shared per-address and per-account sign-in limits."""
    return _per_address(_per_account(view))
