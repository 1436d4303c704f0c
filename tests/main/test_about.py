"""Om netværket: the programme's story and methods, for visitors and members, in both languages."""

from network.domain import FOCUS_AREAS


def test_visitors_read_the_story_the_al_cycle_the_reflecting_team_and_the_eight_sentences(client):
    page = client.get("/om-netvaerket").get_data(as_text=True)
    for heading in (
        "Action Learning",
        "Det reflekterende team",
        "Spørgsmål før råd",
        "De otte succes-sætninger",
    ):
        assert heading in page
    assert all(str(sentence) in page for sentence in FOCUS_AREAS.values())
    assert page.count("<li>Jeg ") == 8


def test_it_is_linked_from_every_page_and_reads_in_english(client):
    assert 'href="/om-netvaerket"' in client.get("/log-ind").get_data(as_text=True)
    client.post("/sprog", data={"lang": "en"})
    page = client.get("/om-netvaerket").get_data(as_text=True)
    assert "About the network" in page and "The reflecting team" in page and "I am visible" in page
    assert "Det reflekterende team" not in page
