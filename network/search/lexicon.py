"""The Danish dictionary the search splits and relates words with: Stavekontrolden's Hunspell files.

Debian's ``hunspell-da`` installs them as /usr/share/hunspell/da_DK.dic and .aff (``make install``
installs the package when it is missing); NETWORK_SEARCH_DICTIONARY names another .dic, with its
.aff beside it. Without the files the search still works, with Snowball stems only, and says so
once in the log.

The .dic holds base forms with flag numbers, the .aff the suffix rules each flag allows and the
flags a formed word gets. From them this answers: is a string a Danish word, what are its base
forms, and may this form begin, continue or end a compound. The compound flags are the
dictionary's own and carry the linking letters: "fravær" begins a compound as "fraværs-", "skole"
as "skole-", "arbejde" as "arbejds-".

Words are kept and looked up folded (analysis.fold: æ→ae, ø→oe, å→aa), so "fravaersregistrering"
splits as "fraværsregistrering" does.
"""

import collections
import functools
import logging
import os
import re
import typing as t
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_DICTIONARY = "/usr/share/hunspell/da_DK.dic"
SUFFIX_LEVELS = 2  # a base form and up to two suffixes ("leder" + "e" + "s"), as Hunspell allows


class _Rule(t.NamedTuple):
    flag: str  # the flag a base form needs for this suffix
    add: str  # put on instead
    strip: str  # taken off the base form's end
    condition: re.Pattern | None  # what the base form must end with
    gives: frozenset[str]  # the flags of the formed word


class Lexicon:
    """A Hunspell dictionary read for lookups (no spelling suggestions): words, base forms, compound parts."""

    def __init__(self, dic: Path, aff: Path) -> None:
        from network.search.analysis import fold  # analysis imports this module lazily; no cycle at import

        self._fold = fold
        self._flag_sets: dict[str, frozenset[str]] = {}
        self._aliases: list[frozenset[str]] = []
        self.flag_type = "short"
        self.special: dict[str, str] = {}
        self._rules: dict[str, list[_Rule]] = collections.defaultdict(list)  # by the suffix added
        self._read_aff(aff)
        self.entries: dict[str, frozenset[str]] = {}  # folded base form → flags (homographs merged)
        self.names: set[str] = set()  # folded, lowercased proper names (capitalised entries)
        self._read_dic(dic)
        self._longest_suffix = max((len(add) for add in self._rules), default=0)
        # Forms that may begin or continue a compound, with their base form: looked up for every
        # cut of every long word, so made once here ("fravaers" → "fravaer", "arbejds" → "arbejde").
        self.begins: dict[str, str] = {}
        self.middles: dict[str, str] = {}
        self._collect_compound_forms()

    # --- reading ---------------------------------------------------------------------------

    def _flags(self, text: str) -> frozenset[str]:
        cached = self._flag_sets.get(text)
        if cached is None:
            if self._aliases and text.isdigit():  # AF: a number stands for a set of flags
                cached = self._aliases[int(text) - 1] if 0 < int(text) <= len(self._aliases) else frozenset()
            elif self.flag_type == "num":
                cached = frozenset(part for part in text.split(",") if part)
            elif self.flag_type == "long":
                cached = frozenset(text[i : i + 2] for i in range(0, len(text), 2))
            else:
                cached = frozenset(text)
            self._flag_sets[text] = cached
        return cached

    def _read_aff(self, path: Path) -> None:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            key = parts[0]
            if key == "FLAG" and len(parts) > 1:
                self.flag_type = parts[1].lower()
            elif key == "AF" and len(parts) > 1 and not parts[1].isdigit():
                self._aliases.append(self._flags(parts[1]))
            elif key in _SPECIAL_FLAGS and len(parts) > 1:
                self.special[key] = parts[1]
            elif key == "SFX" and len(parts) >= 5:
                flag, strip, added, condition = parts[1], parts[2], parts[3], parts[4]
                add, _, gives = added.partition("/")
                add = self._fold("" if add == "0" else add)
                self._rules[add].append(
                    _Rule(
                        flag=flag,
                        add=add,
                        strip=self._fold("" if strip == "0" else strip),
                        condition=None if condition == "." else re.compile(f"(?:{self._fold(condition)})$"),
                        gives=self._flags(gives) if gives else frozenset(),
                    )
                )

    def _read_dic(self, path: Path) -> None:
        entries = self.entries
        with path.open(encoding="utf-8", errors="replace") as lines:  # a line at a time: 3.5 MB of text
            next(lines, None)  # the first line is the count
            for line in lines:
                entry = line.split("\t", 1)[0].split(" ", 1)[0].strip()
                word, _, flags = entry.partition("/")
                if not word or word.startswith("#"):
                    continue
                folded = self._fold(word.lower())
                if word[0].isupper():
                    self.names.add(folded)
                    continue
                found = self._flags(flags) if flags else frozenset()
                known = entries.get(folded)
                entries[folded] = found if known is None else known | found

    def _collect_compound_forms(self) -> None:
        begin, middle = self.special.get("COMPOUNDBEGIN"), self.special.get("COMPOUNDMIDDLE")
        giving = collections.defaultdict(list)  # flag → the rules whose forms may stand in a compound
        for rules in self._rules.values():
            for rule in rules:
                if begin in rule.gives or middle in rule.gives:
                    giving[rule.flag].append(rule)
        for word, flags in self.entries.items():
            targets = [(flags, word)]
            for flag in flags & giving.keys():
                for rule in giving[flag]:
                    if word.endswith(rule.strip) and (rule.condition is None or rule.condition.search(word)):
                        targets.append((rule.gives, word[: len(word) - len(rule.strip)] + rule.add))
            base = word.rstrip("-")  # "forældre-": an entry written with its hyphen when standing alone
            for gives, form in targets:
                if begin in gives and len(self.begins.get(form, base + "_")) > len(base):
                    self.begins[form] = base  # of two bases, the shorter ("fravær", not "fraværs")
                if middle in gives and len(self.middles.get(form, base + "_")) > len(base):
                    self.middles[form] = base

    # --- lookups (all on folded, lowercased text) ------------------------------------------

    @functools.lru_cache(maxsize=100_000)  # noqa: B019 - one lexicon per process, kept for its life
    def forms(self, word: str, levels: int = SUFFIX_LEVELS) -> tuple[tuple[str, frozenset[str]], ...]:
        """Each way ``word`` is a base form plus up to ``levels`` suffixes: (base form, the word's flags)."""
        found = []
        flags = self.entries.get(word)
        if flags is not None:
            found.append((word, flags))
        if levels == 0:
            return tuple(found)
        for size in range(min(len(word), self._longest_suffix) + 1):
            stem = word[: len(word) - size]
            for rule in self._rules.get(word[len(word) - size :], ()):
                source = stem + rule.strip
                if len(source) < 2 or (rule.condition is not None and not rule.condition.search(source)):
                    continue
                for base, source_flags in self.forms(source, levels - 1):
                    if rule.flag in source_flags:
                        found.append((base, rule.gives))
        return tuple(found)

    def _standalone(self, flags: frozenset[str]) -> bool:
        special = self.special
        return not any(
            special.get(name) in flags for name in ("ONLYINCOMPOUND", "NEEDAFFIX", "FORBIDDENWORD")
        )

    def is_word(self, word: str) -> bool:
        """A Danish word on its own (any inflection), not only a part of compounds."""
        return any(self._standalone(flags) for _base, flags in self.forms(word))

    def is_entry(self, word: str) -> bool:
        """A base form the dictionary lists (a headword, not an inflection)."""
        flags = self.entries.get(word)
        return flags is not None and self._standalone(flags)

    def base_forms(self, word: str) -> set[str]:
        """The headwords this word is an inflection of (itself, when it is one)."""
        return {base for base, flags in self.forms(word) if self._standalone(flags)}

    def is_name(self, word: str) -> bool:
        """A proper name the dictionary knows ("Mortensen") and no ordinary word."""
        return word in self.names and word not in self.entries

    def compound_base(self, form: str, position: str) -> str | None:
        """The base form of ``form`` when it may begin ("begin") or continue ("middle") a compound."""
        return (self.begins if position == "begin" else self.middles).get(form)

    def can_end_compound(self, form: str) -> bool:
        """Whether ``form`` may end a compound (the last part, inflected as the whole word is)."""
        flag = self.special.get("COMPOUNDEND")
        return any(flag in flags for _base, flags in self.forms(form))


_SPECIAL_FLAGS = (
    "COMPOUNDBEGIN",
    "COMPOUNDMIDDLE",
    "COMPOUNDEND",
    "ONLYINCOMPOUND",
    "NEEDAFFIX",
    "FORBIDDENWORD",
)


def dictionary_path() -> Path:
    """The .dic file to read: NETWORK_SEARCH_DICTIONARY, else Debian's hunspell-da."""
    return Path(os.environ.get("NETWORK_SEARCH_DICTIONARY") or DEFAULT_DICTIONARY)


@functools.cache
def lexicon() -> Lexicon | None:
    """The Danish lexicon, read once per process; None (and one warning) when the files are missing."""
    dic = dictionary_path()
    aff = dic.with_suffix(".aff")
    if not (dic.is_file() and aff.is_file()):
        log.warning(
            "Danish dictionary not found at %s (Debian package hunspell-da, or NETWORK_SEARCH_DICTIONARY): "
            "the search works without compound splitting and derivations",
            dic,
        )
        return None
    return Lexicon(dic, aff)
