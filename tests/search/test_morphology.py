"""Danish compounds, derivations and synonyms: the dictionary-based steps of the analysis, on their edges."""

import pytest

from network.search import synonyms
from network.search.analysis import (
    DERIVED_WEIGHT,
    PART_WEIGHT,
    SYNONYM_WEIGHT,
    Alternative,
    expansions,
    fold,
    indexed_words,
    normalize_word,
    query_alternatives,
    words,
)
from network.search.lexicon import lexicon
from network.search.morphology import derived_from, split_compound


@pytest.fixture(autouse=True, scope="module")
def _dictionary() -> None:
    assert lexicon() is not None, (
        "the Danish dictionary is missing: apt-get install hunspell-da (make install)"
    )


def split(word: str) -> tuple[str, ...]:
    return split_compound(fold(word))


def test_a_compound_splits_at_its_linking_s_into_base_forms():
    assert split("fraværsregistrering") == ("fravaer", "registrering")
    assert split("fravaersregistrering") == ("fravaer", "registrering")  # typed without æ
    assert split("trivselsundersøgelsen") == ("trivsel", "undersoegelsen")  # the last part as written


def test_linking_e_and_none_and_three_parts():
    assert split("lærerteamet") == ("laerer", "teamet")
    assert split("byggeafdelingen") == ("bygge", "afdelingen")
    assert split("fraværsregistreringssystem") == ("fravaer", "registrering", "system")


def test_short_words_are_not_split():
    assert split("elevråd") == ()  # 7 letters: "elev" + "råd" could be chance in shorter words
    assert split("skolen") == ()


def test_names_are_not_split():
    assert split("Lindholm".lower()) == ()  # "lind" and "holm" are words, Lindholm a name
    assert split("mortensen") == ()
    assert expansions("Birkholm", name=True) == ()  # capitalised inside a sentence: a name


def test_a_dictionary_word_is_kept_whole():
    for word in ("undervisning", "forældre", "overenskomst", "sparring", "tydelige", "medarbejder"):
        assert split(word) == (), word


def test_a_dictionary_word_that_is_plainly_a_compound_is_split():
    assert split("forandringsledelse") == ("forandring", "ledelse")  # the linking -s-
    assert split("kompetenceudvikling") == ("kompetence", "udvikling")  # two long parts


def test_hyphens_always_split():
    assert split("al-projekt") == ("al", "projekt")


def test_garbage_is_not_split():
    assert split("xqzvbnmklwpt") == ()
    assert split("a" * 200) == ()


def test_derivations_meet_in_their_base_word():
    assert derived_from(fold("evaluering")) == {"evaluere"}
    assert derived_from(fold("evalueringen")) == {"evaluering", "evaluere"}
    assert derived_from(fold("differentiering")) == {"differentiere"}
    assert derived_from(fold("differentieret")) == {"differentiere"}
    assert derived_from(fold("synlighed")) == {"synlig"}
    assert derived_from(fold("anerkendelse")) == {"anerkende"}
    assert derived_from(fold("motiverende")) == {"motivere"}
    assert derived_from(fold("motivation")) == {"motivere"}
    assert normalize_word("evaluere") == normalize_word("evalueret")


def test_a_derivation_needs_the_dictionary_to_confirm_it():
    assert derived_from("ring") == frozenset()  # too short: no "re" + "ing"
    assert derived_from("sparring") == {"sparre"}  # "sparre" is a headword: confirmed
    assert derived_from("zyxvering") == frozenset()  # "zyxvere" is no Danish word
    assert derived_from("evaluere") == frozenset()  # the base word itself


def test_parts_and_sources_are_indexed_beside_the_word_with_lower_weights():
    extra = dict(expansions("fraværsregistreringen"))
    assert extra[normalize_word("fravær")] == PART_WEIGHT
    assert extra[normalize_word("registrering")] == PART_WEIGHT
    assert extra[normalize_word("registrere")] == PART_WEIGHT * DERIVED_WEIGHT
    assert normalize_word("fraværsregistreringen") not in extra  # the word's own term has weight 1
    first = next(indexed_words("Fraværsregistreringen virker."))
    assert first[0] == (normalize_word("fraværsregistreringen"), 1.0)


def test_a_capital_inside_a_sentence_marks_a_name():
    marked = {word.text: word.name for word in words("Lindholm er med. Hos Lindholm: Skolen. Teamet")}
    assert marked == {
        "Lindholm": True,
        "er": False,
        "med": False,
        "Hos": False,
        "Skolen": False,
        "Teamet": False,
    }


def test_a_query_word_asks_for_its_parts_together_and_its_sources():
    alternatives = query_alternatives("fraværsregistrering")
    assert alternatives[0] == Alternative((normalize_word("fraværsregistrering"),), 1.0)
    assert (
        Alternative((normalize_word("fravær"), normalize_word("registrering")), PART_WEIGHT) in alternatives
    )
    assert Alternative((normalize_word("evaluere"),), DERIVED_WEIGHT) in query_alternatives("evaluering")


def test_synonyms_come_from_the_file_and_follow_its_changes(tmp_path, monkeypatch):
    path = tmp_path / "synonymer.txt"
    path.write_text(
        "# en kommentar\nelev, kursist\nsparring, vejledning, reflekterende team\n", encoding="utf-8"
    )
    monkeypatch.setenv("NETWORK_SEARCH_SYNONYMS", str(path))
    assert Alternative(("kursist",), SYNONYM_WEIGHT) in query_alternatives("eleverne")
    phrase = Alternative((normalize_word("reflekterende"), "team"), SYNONYM_WEIGHT, phrase=True)
    assert phrase in query_alternatives("sparring")
    path.write_text("elev, lærling\n", encoding="utf-8")
    assert [a.terms for a in query_alternatives("elev")] == [("elev",), (normalize_word("lærling"),)]
    monkeypatch.setenv("NETWORK_SEARCH_SYNONYMS", str(tmp_path / "findes-ikke.txt"))
    assert synonyms.table().alternatives == {}
    assert query_alternatives("elev") == (Alternative(("elev",), 1.0),)


def test_the_shipped_synonyms_relate_the_networks_words():
    assert Alternative(("kursist",), SYNONYM_WEIGHT) in query_alternatives("elev")
    assert Alternative((normalize_word("vejledning"),), SYNONYM_WEIGHT) in query_alternatives("sparring")
    assert Alternative(("timeplan",), SYNONYM_WEIGHT) in query_alternatives("skema")
