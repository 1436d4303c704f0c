"""The ceiling for bench/http.py: a minimal Flask app served by gunicorn with the app's settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello"
