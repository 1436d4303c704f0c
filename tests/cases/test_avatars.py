"""Avatars next to a case's author and its replies follow author_as_seen: a hidden author gets the
neutral figure, never their initials."""

import re

AVATAR = re.compile(
    r'<span class="avatar avatar-\w+ (avatar-neutral|avatar-initials[^"]*)"[^>]*>(.*?)</span>', re.S
)


def _avatars(html: str) -> list[tuple[str, str]]:
    return [(kind.split()[0], re.sub(r"<[^>]+>", "", inner).strip()) for kind, inner in AVATAR.findall(html)]


def test_a_named_author_and_a_replier_get_initials_on_the_list_and_the_case(client, auth, factory, cases):
    author = factory.member("Nanna Navngiven")
    replier = factory.member("Rikke Svarer")
    case = cases.case(author, visibility="named", title="Et navngivet dilemma")
    cases.reply(replier, case, "Hvad har du prøvet?")
    auth.login(factory.member("Læsende Leder"))

    assert ("avatar-initials", "NN") in _avatars(client.get("/sager").get_data(as_text=True))
    page = _avatars(client.get(f"/sager/{case.id}").get_data(as_text=True))
    assert ("avatar-initials", "NN") in page and ("avatar-initials", "RS") in page


def test_an_anonymous_author_gets_the_neutral_avatar_everywhere(client, auth, factory, cases):
    author = factory.member("Anne Anonymsen")
    case = cases.case(author, visibility="anonymous", title="Et anonymt dilemma")
    cases.reply(author, case, "Tak for spørgsmålet.", kind="experience")  # the case giver answers
    auth.login(factory.member("Otto Læser"))

    listing = client.get("/sager").get_data(as_text=True)
    detail = client.get(f"/sager/{case.id}").get_data(as_text=True)
    for html in (listing, detail):
        avatars = _avatars(html)
        assert ("avatar-neutral", "") in avatars
        assert not any(text == "AA" for _kind, text in avatars)
    # the case header and the case giver's reply: both neutral
    assert [kind for kind, _text in _avatars(detail)].count("avatar-neutral") == 2
