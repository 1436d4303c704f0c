"""Gunicorn settings for the one-server and several-process tiers.

Flask-SocketIO in threading mode needs one worker per process with many threads (each open
WebSocket holds a thread). Scale out with more processes on more ports behind a proxy with
sticky sessions and NETWORK_SOCKETIO_MESSAGE_QUEUE=redis://… (see docs/operations.md).
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = 1
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "64"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a stuck request is killed after this
graceful_timeout = 20
keepalive = 5
# Access log as JSON lines on stdout; %({x-request-id}o)s is the id our app echoes.
accesslog = "-"
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", "status": %(s)s, '
    '"bytes": "%(B)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s", "agent": "%(a)s"}'
)
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "wsgi:app"
