"""The first run after joining: the profile fields that make matching work, and what to follow."""

from network.cases import social
from network.db import db


def test_the_first_run_saves_tools_focus_and_sparring_and_follows_the_chosen_tools(client, auth, factory):
    me = factory.member(open_for_sparring=False)
    auth.login(me)
    page = client.get("/velkommen").get_data(as_text=True)
    assert "Kom godt i gang" in page and 'href="/om-netvaerket"' in page
    response = client.post(
        "/velkommen",
        data={
            "tools": ["leadership", "language"],
            "focus_areas": ["visible"],
            "open_for_sparring": "y",
            "follow_tools": ["motivation"],
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == "/"
    db.session.refresh(me)
    assert sorted(me.tools) == ["language", "leadership"] and list(me.focus_areas) == ["visible"]
    assert me.open_for_sparring is True
    assert [(f.kind, f.value) for f in social.followed_topics(me)] == [("tool", "motivation")]
    # Running it again does not follow twice
    client.post("/velkommen", data={"follow_tools": ["motivation"]})
    assert len(social.followed_topics(me)) == 1


def test_unknown_values_are_refused_and_nothing_is_saved(client, auth, factory):
    me = factory.member()
    auth.login(me)
    response = client.post("/velkommen", data={"tools": ["ikke-et-værktøj"]})
    assert response.status_code == 422
    assert list(me.tools) == []
