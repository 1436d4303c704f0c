"""The living style page: every component on one page, in development and test only."""

import re

from network.config import CONFIGS
from tests.conftest import make_test_app

COMPONENTS = [
    'class="button button-primary"',
    'class="button button-secondary"',
    'class="button button-quiet"',
    'class="button button-danger"',
    'class="row"',
    'class="card"',
    'class="badge badge-new"',
    'class="tag"',
    "avatar-initials",
    "avatar-neutral",
    'class="tabs"',
    "alert alert-info",
    "alert alert-success",
    "alert alert-warning",
    "alert alert-error",
    'class="empty-state"',
    'class="required-mark"',
    "icons.svg#bell",
]


def test_style_page_renders_every_component(client):
    page = client.get("/stil").get_data(as_text=True)
    missing = [c for c in COMPONENTS if c not in page]
    assert not missing, f"the style page lacks {missing}"


def test_anonymous_author_gets_the_neutral_avatar_not_initials(client):
    rows = client.get("/stil").get_data(as_text=True).split('<li class="row">')[1:]
    (anonymous,) = [r for r in rows if "Anonym sag om en svær samtale" in r]
    (named,) = [r for r in rows if "Hvordan får vi fraværet ned" in r]
    assert "avatar-neutral" in anonymous and "avatar-initials" not in anonymous
    assert re.search(r"avatar-initials[^>]*>HL<", named)


def test_style_page_is_only_in_development_and_test(database_url, tmp_path):
    assert CONFIGS["development"].STYLE_PAGE and CONFIGS["test"].STYLE_PAGE
    assert not CONFIGS["production"].STYLE_PAGE
    app = make_test_app(database_url, tmp_path, STYLE_PAGE=False)
    assert app.test_client().get("/stil").status_code == 404
