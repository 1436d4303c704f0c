"""Danish compounds and derivations, found with the dictionary (network/search/lexicon.py).

Both take a folded, lowercased word (analysis.fold) and return folded base forms; the analysis
stems them and indexes them beside the word itself, with a lower weight, so the word as written
still ranks first. Without the dictionary both return nothing and the search uses Snowball alone.
"""

import functools

from network.search.lexicon import lexicon

MIN_COMPOUND = 8  # letters before a word is looked at as a compound ("elevråd" is 7 folded: "elevraad" is 8)
MIN_PART = 3  # "råd", "mål" and "tid" end many compounds; two letters ("ur", "is") are too often chance
MAX_PARTS = 4
MIN_LINKED_PART = 4  # a dictionary word joined by -s- is split when both parts have this many letters
MIN_LONG_PART = 7  # and without a linking letter when both have this many (folded: "kompetence|udvikling")
MIN_DERIVED = 6  # letters before a word is looked at as a derivation ("ting" is no "te" + "ing")

# Endings Snowball leaves apart, each with the ending of the word it is made from. A candidate
# counts only when the dictionary has it as a headword, so "sparring" → "sparre" but never "ring" → "re".
DERIVATIONS = (
    ("ning", "e"),  # noun from verb: vejledning → vejlede, undervisning → undervise
    ("ing", "e"),  # noun from verb: evaluering → evaluere, udvikling → udvikle
    ("else", "e"),  # noun from verb: anerkendelse → anerkende, oplevelse → opleve
    ("else", ""),  # noun from verb: forståelse → forstå
    ("hed", ""),  # noun from adjective: synlighed → synlig, tryghed → tryg
    ("ende", "e"),  # adjective from verb (present participle): motiverende → motivere
    ("ation", "ere"),  # noun from verb: motivation → motivere, organisation → organisere
)


@functools.lru_cache(maxsize=100_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a compound as base forms ("fravaersregistrering" → fravaer, registrering), or ().

    A word is left whole when it is short, a name, a word of the dictionary itself ("undervisning"
    is no "under" + "visning"), or has no split into parts the dictionary allows in a compound at
    those places with those linking letters. Of several splits the one with the fewest parts wins,
    then the one with the longest last part. Hyphens always split ("al-projekt" → al, projekt).
    """
    if "-" in word:
        return tuple(part for part in word.split("-") if part)
    found = lexicon()
    if found is None or len(word) < MIN_COMPOUND or not word.isalpha():
        return ()
    if found.is_name(word):
        return ()
    splits = _splits(word, "begin")
    if found.is_word(word):  # a dictionary word is whole, unless it is plainly a compound
        splits = [parts for parts in splits if len(parts) == 2 and _plainly_compound(word, *parts)]
    if not splits:
        return ()
    return min(splits, key=lambda parts: (len(parts), -len(parts[-1])))


def _plainly_compound(word: str, head: str, tail: str) -> bool:
    """Two parts that make a dictionary word a compound by more than chance.

    Joined by the linking -s- ("forandrings|ledelse", "arbejds|miljø"), or both long
    ("kompetence|udvikling"): "sparring" stays whole, though "spar" and "ring" are words.
    """
    form = word[: len(word) - len(tail)]
    linked = form.endswith("s") and form != head  # "forandrings" of "forandring", "arbejds" of "arbejde"
    if linked:
        return len(head) >= MIN_LINKED_PART and len(tail) >= MIN_LINKED_PART
    return len(head) >= MIN_LONG_PART and len(tail) >= MIN_LONG_PART


def _splits(rest: str, position: str, depth: int = 1) -> list[tuple[str, ...]]:
    """Every split of ``rest`` into parts from ``position`` on: base forms, the last part as written."""
    from network.search.analysis import is_stopword

    found = lexicon()
    splits = []
    for cut in range(MIN_PART, len(rest) - MIN_PART + 1):
        head_base = found.compound_base(rest[:cut], position)
        if head_base is None or is_stopword(head_base):  # "til-", "under-": prefixes, not parts
            continue
        tail = rest[cut:]
        if not is_stopword(tail) and found.can_end_compound(tail):
            splits.append((head_base, tail))
        if depth + 1 < MAX_PARTS:
            splits += [(head_base, *more) for more in _splits(tail, "middle", depth + 1)]
    return splits


@functools.lru_cache(maxsize=100_000)
def derived_from(word: str) -> frozenset[str]:
    """Headwords the word is an inflection or a derivation of, as the dictionary confirms them.

    "evalueringen" → evaluering, evaluere; "differentieret" → differentiere; "synlighed" → synlig.
    The word itself is never among them.
    """
    found = lexicon()
    if found is None or len(word) < MIN_DERIVED or not word.isalpha():
        return frozenset()
    bases = found.base_forms(word) | {word}
    derived = set()
    for base in bases:
        if base != word:
            derived.add(base)
        for ending, replacement in DERIVATIONS:
            if base.endswith(ending) and len(base) - len(ending) >= 3:
                candidate = base[: -len(ending)] + replacement
                if candidate != base and found.is_entry(candidate):
                    derived.add(candidate)
    derived.discard(word)
    return frozenset(derived)
