"""Every page a member or a coordinator can open, at 360, 768 and 1280 px, in the demo network.

The pages come from the app's url_map (as the authorization table finds its routes), their
arguments from the demo data; a page the role may not open (403/404) is left out for that role.
Each page is checked for:

- no horizontal overflow of the document;
- no squeezed text: no word broken across lines (a text narrower than its longest word);
- no serious or critical axe-core violations: the member's pages at 360 px, the coordinator's
  at 1280 px (most pages are the same for both, so both widths are covered while axe, the slow
  part, runs once per page; what depends on width is what the two checks above test at all three).

One server with `network seed-demo`, one browser, one signed-in page per role and width.
"""

import os
import sqlite3
import tempfile
import typing as t
from pathlib import Path

import pytest
from playwright.sync_api import Page

from network import create_app
from network.demo.people import DEMO_PASSWORD
from tests.e2e.conftest import Axe, LiveServer, _network, serve

WIDTHS = (360, 768, 1280)
AXE_WIDTH = {"member": 360, "coordinator": 1280}
ROLES = {
    "member": "leder@demo.ledernetvaerket.dk",
    "coordinator": "koordinator@demo.ledernetvaerket.dk",
}
# Not pages: files, feeds, redirects, probes, and the doors that need a token from a mail.
NOT_PAGES = {
    "static",
    "main.healthz",
    "main.readyz",
    "members.avatar",
    "projects.download",
    "notifications.follow",
    "meetups.ics",
    "meetups.feed",
    "meetups.attendees_csv",
    "overview.export",
    "auth.accept_invite",
    "auth.reset_password",
    "auth.unlock",
    "mail.unsubscribe",
    "search.similar",
}
# A few pages are also worth seeing with a query.
EXTRA_URLS = ("/soeg?q=motivation", "/sager?sort=unanswered", "/medlemmer?open_for_sparring=y")

# Words broken across lines. Hyphens and slashes are places a word may break; addresses and
# links (user content longer than a phone's width) may break anywhere.
SQUEEZED_WORDS = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const lines = (start, end) => {
    range.setStart(walker.currentNode, start);
    range.setEnd(walker.currentNode, end);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    return new Set(rects.map((r) => Math.round(r.top))).size;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("script, style, select, option, textarea, svg")) continue;
    const style = getComputedStyle(parent);
    if (style.visibility === "hidden" || ["nowrap", "pre"].includes(style.whiteSpace)) continue;
    for (const token of node.textContent.matchAll(/\\S+/g)) {
      // addresses and links are user content that may be longer than a phone is wide
      if (/@|:\\/\\/|www\\./.test(token[0]) || token[0].length > 40) continue;
      // a word may break after a hyphen or a slash, nowhere else
      for (const word of token[0].matchAll(/[^\\-\\u2010-\\u2014\\/]{2,}/g)) {
        const start = token.index + word.index;
        if (lines(start, start + word[0].length) > 1) {
          found.push(`"${word[0]}" in <${parent.tagName.toLowerCase()} class="${parent.className}">`);
        }
      }
    }
  }
  return found;
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# `make screenshots` sets this: the README's pictures are taken on this walk, as the member sees
# the pages, at a phone's and a laptop's width (file name: page and width).
SCREENSHOTS = os.environ.get("NETWORK_SCREENSHOTS_DIR", "")
SCREENSHOT_PAGES = {
    "/": "min-uge",
    "/sager": "sager",
    "/netvaerksmoeder": "netvaerksmoeder",
    "/soeg?q=motivation": "soeg",
}
SCREENSHOT_WIDTHS = {360: 740, 1280: 800}


def _screenshot(page: Page, url: str, role: str, width: int) -> None:
    name = SCREENSHOT_PAGES.get(url)
    if not SCREENSHOTS or role != "member" or name is None or width not in SCREENSHOT_WIDTHS:
        return
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    clip = {"x": 0, "y": 0, "width": width, "height": SCREENSHOT_WIDTHS[width]}
    page.screenshot(path=str(folder / f"{name}-{width}.png"), clip=clip)


def _demo(env: dict[str, str]) -> None:
    _network(env, "seed-demo")


@pytest.fixture(scope="module")
def demo_server() -> t.Iterator[LiveServer]:
    with serve("network-layout-", _demo) as server:
        yield server


def _ids(server: LiveServer, email: str) -> dict[str, dict[str, int]]:
    """URL arguments from the demo data: shared ones, and per endpoint the role's own things."""
    db = sqlite3.connect(server.env["NETWORK_DATABASE_URL"].removeprefix("sqlite:///"))

    def one(sql: str, *args: t.Any) -> int:
        row = db.execute(sql, args).fetchone()
        assert row, sql
        return row[0]

    me = one("SELECT id FROM members WHERE email = ?", email)
    case = one("SELECT id FROM cases WHERE status = 'open' AND author_id != ? ORDER BY id", me)
    shared = {
        "member_id": one("SELECT id FROM members WHERE id != ? ORDER BY id", me),
        "school_id": one("SELECT school_id FROM members WHERE id = ?", me),
        "case_id": case,
        "reply_id": one("SELECT id FROM case_replies WHERE case_id = ? ORDER BY id", case),
        "meetup_id": one("SELECT id FROM meetups WHERE cancelled_at IS NULL ORDER BY starts_at DESC"),
        "room_id": one("SELECT id FROM rooms WHERE access != 'invite' ORDER BY id"),
        "session_id": one("SELECT id FROM reflecting_sessions ORDER BY id"),
        "project_id": one("SELECT id FROM al_projects WHERE is_hidden = 0 ORDER BY id"),
    }
    own_case = db.execute("SELECT id FROM cases WHERE author_id = ? ORDER BY id", (me,)).fetchone()
    own_reply = db.execute("SELECT id FROM case_replies WHERE author_id = ? ORDER BY id", (me,)).fetchone()
    own_meetup = db.execute("SELECT id FROM meetups WHERE created_by_id = ? ORDER BY id", (me,)).fetchone()
    db.close()
    per_endpoint = {"members.profile": {"member_id": me}}
    if own_case:
        per_endpoint["cases.edit"] = {"case_id": own_case[0]}
    if own_reply:
        per_endpoint["case_replies.edit_reply"] = {"reply_id": own_reply[0]}
    if own_meetup:
        per_endpoint["meetups.edit"] = per_endpoint["meetups.outcome"] = {"meetup_id": own_meetup[0]}
    return {"": shared, **per_endpoint}


def _page_urls(server: LiveServer, email: str) -> list[str]:
    """Every GET page of the url_map, with arguments from the demo data."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SEARCH_INDEX_DIR": tmp})
    ids = _ids(server, email)
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES or rule.rule.startswith("/api"):
            continue
        if rule.endpoint.startswith(("api", "api-docs")):
            continue
        values = {arg: ids.get(rule.endpoint, {}).get(arg, ids[""].get(arg)) for arg in rule.arguments}
        if None in values.values():
            continue
        built = rule.build(values, append_unknown=False)  # each rule, also a second rule of one endpoint
        if built:
            urls.add(built[1])
    return sorted(urls | set(EXTRA_URLS))


@pytest.fixture(scope="module")
def pages_by_role(browser, demo_server: LiveServer) -> t.Iterator[dict[str, dict[int, Page]]]:
    """Per role, one signed-in page per width (the same cookies), and the role's page URLs."""
    opened = {}
    for role, email in ROLES.items():
        context = browser.new_context(base_url=demo_server.url, locale="da-DK")
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto("/log-ind")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Adgangskode", exact=True).fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url(f"{demo_server.url}/")
        state = context.storage_state()
        context.close()
        opened[role] = {}
        for width in WIDTHS:
            phone = width < 768
            context = browser.new_context(
                base_url=demo_server.url,
                locale="da-DK",
                storage_state=state,
                viewport={"width": width, "height": 800},
                is_mobile=phone,
                has_touch=phone,
            )
            context.set_default_timeout(15_000)
            opened[role][width] = context.new_page()
    yield opened
    for pages in opened.values():
        for page in pages.values():
            page.context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_every_width(
    role: str, pages_by_role: dict, demo_server: LiveServer, axe: Axe
) -> None:
    urls = _page_urls(demo_server, ROLES[role])
    problems: list[str] = []
    checked = 0
    for url in urls:
        for width in WIDTHS:
            page = pages_by_role[role][width]
            response = page.goto(url)
            if response is None or response.status in (403, 404):
                break  # not this role's page
            if response.status != 200:
                problems.append(f"{url}: HTTP {response.status}")
                break
            checked += 1
            _screenshot(page, url, role, width)
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                problems.append(f"{url} at {width} px: the document is {overflow} px wider than the screen")
            for word in page.evaluate(SQUEEZED_WORDS):
                problems.append(f"{url} at {width} px: squeezed word {word}")
            if width == AXE_WIDTH[role]:
                for violation in axe.violations(page):
                    if violation.get("impact") in Axe.BLOCKING:
                        targets = "; ".join(", ".join(map(str, n["target"])) for n in violation["nodes"][:3])
                        problems.append(f"{url} at {width} px: axe {violation['id']} at {targets}")
    assert checked >= 3 * 25, f"only {checked} page views checked for {role}: the URL list is broken"
    assert not problems, f"{len(problems)} layout problem(s) for the {role}:\n" + "\n".join(problems)
