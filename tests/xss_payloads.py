"""A shared corpus of script-injection payloads for hostile-input tests.

Every payload that would run calls ``window.__xss(<id>)`` (or ``alert``), so a browser test that
defines ``window.__xss`` and listens for dialogs sees any that gets through. Each is at most
120 characters, so one fits in a short field (a title, a name, a tag or a room name).
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Payload:
    id: int
    kind: str
    text: str


PAYLOADS: tuple[Payload, ...] = (
    Payload(1, "script tag", "<script>window.__xss(1)</script>"),
    Payload(2, "img onerror", "<img src=x onerror=window.__xss(2)>"),
    Payload(3, "svg onload", "<svg onload=window.__xss(3)>"),
    Payload(4, "markdown javascript: link", "[klik her](javascript:window.__xss(4))"),
    Payload(5, "raw javascript: link", '<a href="javascript:window.__xss(5)">link</a>'),
    Payload(6, "data: URL", '<a href="data:text/html,<script>parent.__xss(6)</script>">data</a>'),
    Payload(7, "attribute breakout", '" autofocus onfocus="window.__xss(7)" x="'),
    Payload(8, "single-quote breakout", "' onmouseover='window.__xss(8)' x='"),
    Payload(9, "template injection", "tpl{{7*7}}tpl ${7*7} {% print(7*7) %}"),
    Payload(10, "textarea breakout", "</textarea><script>window.__xss(10)</script>"),
    Payload(11, "iframe srcdoc", '<iframe srcdoc="<script>parent.__xss(11)</script>"></iframe>'),
    Payload(
        12,
        "zero-width javascript: link",
        "[zw](java\u200bscript:window.__xss(12)) [tab](java\tscript:alert(12))",
    ),
    Payload(13, "encoded javascript: link", "[enc](&#106;avascript:window.__xss(13))"),
    Payload(14, "markdown image onerror", '![x" onerror="window.__xss(14)](x)'),
    Payload(15, "title/style breakout", "</title></style><script>alert(15)</script>"),
    Payload(16, "details ontoggle", "<details open ontoggle=window.__xss(16)>"),
    Payload(17, "JSON-in-HTML breakout", "</script><script>window.__xss(17)</script>"),
)

# The template-injection payload must never be evaluated: this text must not appear in a page.
TEMPLATE_EVALUATED = "tpl49tpl"

ALL_TEXT = "\n\n".join(p.text for p in PAYLOADS)
"""Every payload in one text, for long fields (a case's problem, a bio, a meetup description)."""

# Installed in every page before its own scripts: records calls instead of running them.
INIT_SCRIPT = """
(() => {
  const calls = [];
  Object.defineProperty(window, '__xssCalls', { value: calls });
  window.__xss = (id) => calls.push(String(id));
  for (const name of ['alert', 'confirm', 'prompt']) {
    window[name] = (arg) => { calls.push(name + ':' + String(arg)); return null; };
  }
})();
"""

# Finds markup that a sanitiser should have removed, whether or not it ran (the CSP may block it).
DANGEROUS_MARKUP = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    // A JSON data block (Jinja's tojson) never runs: it may carry the text, escaped, so long as
    // it is still one JSON value (text that broke out would not parse, or be a script of its own).
    const dataBlock = el.tagName === 'SCRIPT' && el.type === 'application/json'
      && (() => { try { JSON.parse(el.textContent); return true; } catch { return false; } })();
    if (el.tagName === 'SCRIPT' && !dataBlock && /__xss|alert\\(/.test(el.textContent)) {
      found.push('script: ' + el.outerHTML);
    }
    if (el.tagName === 'IFRAME' && el.hasAttribute('srcdoc')) found.push('iframe srcdoc');
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f\\u200b]/g, '').toLowerCase();
      if (name.startsWith('on') && /__xss|alert/.test(attr.value)) {
        found.push(`${el.tagName.toLowerCase()} ${name}="${attr.value}"`);
      }
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(name)
          && (value.startsWith('javascript:') || value.startsWith('data:text/html'))) {
        found.push(`${el.tagName.toLowerCase()} ${name}="${attr.value}"`);
      }
    }
  }
  return found;
}
"""
