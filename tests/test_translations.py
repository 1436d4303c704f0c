"""The English catalogue is complete, up to date with the sources, and used by the app.

Danish is the source language: every msgid in ``network/`` and ``templates/`` is Danish, and
``translations/en/LC_MESSAGES/messages.po`` holds the English translation. The Danish catalogue
(``translations/da``) exists so ``da`` is a real locale; its msgstrs stay empty (Babel falls back
to the msgid, which is already Danish).

When a test here fails because you added or changed a translatable string:

1. run ``make extract-messages`` (re-extracts ``translations/messages.pot`` and updates the
   ``en`` and ``da`` catalogues, without fuzzy matching);
2. translate the new entries (empty ``msgstr``) in ``translations/en/LC_MESSAGES/messages.po``,
   both plural forms for ``ngettext``, keeping ``%(name)s``-style placeholders exactly;
3. run ``make translations`` (compiles the ``.mo`` files, which are git-ignored).

Commit the ``.pot`` and ``.po`` files, never the ``.mo`` files.
"""

import os
import re
import shlex
import tempfile
import typing as t
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
DA_PO = TRANSLATIONS / "da" / "LC_MESSAGES" / "messages.po"
FIX = "Run `make extract-messages`, translate the new entries in {po}, then `make translations`."

# %(name)s, %(n)d, %(price).2f ... — the named printf-style placeholders gettext strings use.
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]")


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _messages(catalog: Catalog) -> list[Message]:
    """Every message but the header."""
    return [m for m in catalog if m.id]


def _forms(message: Message) -> tuple[str, ...]:
    strings = message.string
    return tuple(strings) if isinstance(strings, (tuple, list)) else (strings,)


def _show(msgid: str | tuple[str, ...]) -> str:
    return repr(msgid[0] if isinstance(msgid, tuple) else msgid)


def _compile_if_stale(po_path: Path) -> None:
    """Write messages.mo next to messages.po unless an up-to-date one is already there.

    The .mo files are git-ignored and normally built by `make translations`; compiling here
    keeps these tests working on a fresh checkout. The file is replaced atomically, so
    parallel test workers never read a half-written catalogue.
    """
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return
    catalog = _read_po(po_path)
    fd, tmp = tempfile.mkstemp(dir=po_path.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog)
        os.replace(tmp, mo_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        _compile_if_stale(po_path)


@pytest.fixture(scope="module")
def en_catalogue() -> Catalog:
    assert EN_PO.exists(), f"{EN_PO.relative_to(ROOT)} is missing. " + FIX.format(po=EN_PO)
    return _read_po(EN_PO)


def _extract_keywords() -> dict[str, t.Any]:
    """Babel's default keywords plus the `-k` ones the Makefile passes to `pybabel extract`."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    extra: list[str] = []
    for line in makefile.splitlines():
        if re.search(r"pybabel\s+(-q\s+)?extract", line):
            words = shlex.split(line)
            extra += [words[i + 1] for i, word in enumerate(words[:-1]) if word in ("-k", "--keyword")]
            extra += [w.split("=", 1)[1] for w in words if w.startswith("--keyword=")]
    assert extra, "Found no `pybabel extract ... -k _l` line in the Makefile"
    return {**DEFAULT_KEYWORDS, **parse_keywords(extra)}


def _extract_sources() -> list[tuple[str, str | tuple[str, ...], str | None]]:
    """(location, msgid, context) for every message `make extract-messages` would extract."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename="babel.cfg")
    # Only walk the top-level folders the patterns can match (never .venv or node_modules).
    roots = {pattern.split("/", 1)[0] for pattern, _ in method_map}

    def directory_filter(path: str) -> bool:
        rel = Path(path).relative_to(ROOT)
        name = rel.name
        if name.startswith((".", "_")):
            return False
        return len(rel.parts) > 1 or name in roots

    found = []
    for filename, lineno, msgid, _comments, context in extract_from_dir(
        ROOT,
        method_map,
        options_map,
        keywords=_extract_keywords(),
        directory_filter=directory_filter,
    ):
        found.append((f"{filename}:{lineno}", msgid, context))
    return found


def test_catalogue_has_english_header(en_catalogue: Catalog) -> None:
    assert str(en_catalogue.locale) == "en"
    assert en_catalogue.num_plurals == 2


def test_every_message_is_translated(en_catalogue: Catalog) -> None:
    untranslated = [
        _show(m.id)
        for m in _messages(en_catalogue)
        if not all(s.strip() for s in _forms(m))
        or (m.pluralizable and len(_forms(m)) != en_catalogue.num_plurals)
    ]
    assert not untranslated, (
        f"{len(untranslated)} untranslated message(s) in {EN_PO.relative_to(ROOT)}:\n  "
        + "\n  ".join(untranslated)
        + "\n"
        + FIX.format(po=EN_PO.relative_to(ROOT))
    )


def test_no_message_is_fuzzy(en_catalogue: Catalog) -> None:
    fuzzy = [_show(m.id) for m in _messages(en_catalogue) if m.fuzzy]
    assert not fuzzy, (
        f"Fuzzy (unchecked) translations in {EN_PO.relative_to(ROOT)} — review them and "
        "remove the `#, fuzzy` line:\n  " + "\n  ".join(fuzzy)
    )


def test_catalogue_is_not_stale(en_catalogue: Catalog) -> None:
    extracted = _extract_sources()
    assert len(extracted) > 50, "Extraction found almost nothing; is babel.cfg right?"
    missing, wrong_kind = [], []
    for location, msgid, context in extracted:
        message = en_catalogue.get(msgid, context)
        if message is None:
            missing.append(f"{location}: {_show(msgid)}")
        elif isinstance(msgid, tuple) != message.pluralizable:
            wrong_kind.append(f"{location}: {_show(msgid)} (singular/plural changed)")
    problems = sorted(set(missing + wrong_kind))
    assert not problems, (
        f"{len(problems)} message(s) in the sources are not in {EN_PO.relative_to(ROOT)}:\n  "
        + "\n  ".join(problems)
        + "\n"
        + FIX.format(po=EN_PO.relative_to(ROOT))
    )


def test_no_bracket_plurals(en_catalogue: Catalog) -> None:
    """ "1 invitation(er)" reads as a form letter: a count takes ngettext with both forms."""
    bracketed = [
        m.id
        for m in en_catalogue
        if m.id and not isinstance(m.id, tuple) and re.search(r"\w\((?:e|r|er|s|es|en|ne)\)", m.id)
    ]
    assert bracketed == []


def test_danish_catalogue_exists_and_matches() -> None:
    assert DA_PO.exists(), f"{DA_PO.relative_to(ROOT)} is missing. " + FIX.format(po=EN_PO)
    da_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _messages(_read_po(DA_PO))}
    en_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _messages(_read_po(EN_PO))}
    assert da_ids == en_ids, "The da and en catalogues list different messages. Run `make extract-messages`."


def test_placeholders_survive_translation(en_catalogue: Catalog) -> None:
    broken = []
    for m in _messages(en_catalogue):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        for index, string in enumerate(_forms(m)):
            if not string:
                continue  # reported by test_every_message_is_translated
            source = ids[min(index, len(ids) - 1)]
            expected, actual = set(PLACEHOLDER.findall(source)), set(PLACEHOLDER.findall(string))
            if expected != actual:
                broken.append(f"{source!r} -> {string!r}: expected {sorted(expected)}, got {sorted(actual)}")
    assert not broken, "Placeholders differ between msgid and msgstr:\n  " + "\n  ".join(broken)


def test_login_page_in_english(client) -> None:
    page = client.get("/log-ind", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'value="Sign in"' in page
    assert "Sign in to Ledernetværket" in page
    assert "Forgot your password?" in page
    assert "Log ind" not in page


@pytest.mark.parametrize("headers", [{"Accept-Language": "da"}, {}], ids=["da", "no-header"])
def test_login_page_in_danish(client, headers: dict[str, str]) -> None:
    page = client.get("/log-ind", headers=headers).get_data(as_text=True)
    assert 'value="Log ind"' in page
    assert "Log ind på Ledernetværket" in page
    assert "Sign in" not in page
