import io

import pytest

from network.members import service
from tests.members.test_service import png_bytes


@pytest.mark.parametrize(
    "path",
    ["/medlemmer", "/medlemmer/1", "/profil", "/skoler", "/skoler/1", "/skoler/ny", "/medlemmer/1/billede"],
)
def test_visitors_are_sent_to_sign_in(client, factory, path):
    factory.member()
    response = client.get(path)
    assert response.status_code == 302
    assert "/log-ind" in response.headers["Location"]


def test_directory_filters_through_the_page(client, auth, factory):
    north = factory.school("Nordskolen", region="nordjylland")
    factory.member("Anna Nord", school=north, tools=["motivation"])
    factory.member("Bo Syd", tools=["language"])
    auth.login(factory.member("Viewer Leder"))
    page = client.get("/medlemmer?tool=motivation").get_data(as_text=True)
    assert "Anna Nord" in page and "Bo Syd" not in page
    page = client.get("/medlemmer?q=bo").get_data(as_text=True)
    assert "Bo Syd" in page and "Anna Nord" not in page
    page = client.get("/medlemmer?region=nordjylland&tool=&focus=").get_data(as_text=True)
    assert "Anna Nord" in page and "Bo Syd" not in page


def test_directory_ignores_nonsense_filters_instead_of_failing(client, auth, factory):
    auth.login(factory.member("Viewer Leder"))
    response = client.get("/medlemmer?school_id=abc&tool=<script>&side=-3")
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True)


def test_directory_paginates(client, auth, factory):
    school = factory.school()
    for n in range(30):
        factory.member(f"Leder {n:02d}", school=school)
    auth.login(factory.member("Zeta Viewer", school=school))
    first = client.get("/medlemmer").get_data(as_text=True)
    second = client.get("/medlemmer?side=2").get_data(as_text=True)
    assert "Leder 00" in first and "Leder 00" not in second
    assert "Side 2 af 2" in second


def test_profile_hides_private_fields_from_other_members(client, auth, factory):
    owner = factory.member("Privat Person", phone="+45 12 34 56 78", private_fields=["phone"])
    auth.login(factory.member())
    page = client.get(f"/medlemmer/{owner.id}").get_data(as_text=True)
    assert "Privat Person" in page and "+45 12 34 56 78" not in page
    auth.logout()
    auth.login(factory.coordinator())
    assert "+45 12 34 56 78" in client.get(f"/medlemmer/{owner.id}").get_data(as_text=True)


def test_unknown_member_is_404(client, auth, factory):
    auth.login(factory.member())
    assert client.get("/medlemmer/99999").status_code == 404


def test_edit_own_profile(client, auth, factory):
    me = factory.member("Gammelt Navn")
    auth.login(me)
    response = client.post(
        "/profil",
        data={
            "name": "Nyt Navn",
            "title": "Afdelingsleder",
            "school_id": me.school_id,
            "bio": "Jeg leder EUX.",
            "tools": ["motivation", "leadership"],
            "focus_areas": ["visible"],
            "open_for_sparring": "y",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/medlemmer/{me.id}").get_data(as_text=True)
    assert "Nyt Navn" in page and "Jeg leder EUX." in page and "Motivationspædagogik" in page


def test_profile_errors_keep_what_was_typed(client, auth, factory):
    me = factory.member()
    auth.login(me)
    response = client.post(
        "/profil", data={"name": "", "bio": "Min lange tekst om ledelse", "school_id": me.school_id}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skriv dit navn." in page and "Min lange tekst om ledelse" in page


def test_profile_refuses_an_unknown_school(client, auth, factory):
    me = factory.member()
    auth.login(me)
    response = client.post("/profil", data={"name": "X", "school_id": 99999, "bio": "bevaret tekst"})
    assert response.status_code == 422
    assert "bevaret tekst" in response.get_data(as_text=True)


def test_avatar_upload_and_serving(client, auth, factory):
    me = factory.member()
    auth.login(me)
    data = {"name": me.name, "school_id": me.school_id, "avatar": (io.BytesIO(png_bytes()), "mig.png")}
    assert client.post("/profil", data=data, content_type="multipart/form-data").status_code == 302
    image = client.get(f"/medlemmer/{me.id}/billede")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.get_data().startswith(b"\x89PNG")
    image.close()
    auth.logout()
    assert client.get(f"/medlemmer/{me.id}/billede").status_code == 302


def test_non_image_avatar_is_refused_and_the_rest_is_kept(client, auth, factory):
    me = factory.member()
    auth.login(me)
    data = {
        "name": me.name,
        "school_id": me.school_id,
        "bio": "Min tekst",
        "avatar": (io.BytesIO(b"<svg onload=alert(1)>"), "mig.png"),
    }
    response = client.post("/profil", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Filen er ikke et billede" in page and "Min tekst" in page


def test_oversize_upload_gets_a_clear_413(client, auth, factory, app):
    me = factory.member()
    auth.login(me)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    data = {"name": me.name, "avatar": (io.BytesIO(b"0" * 5000), "stor.png")}
    response = client.post("/profil", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Filen er for stor." in response.get_data(as_text=True)


def test_school_pages(client, auth, factory):
    school = factory.school("Erhvervsskolen Test", city="Vejle")
    factory.member("Skole Medlem", school=school)
    auth.login(factory.member())
    assert "Erhvervsskolen Test" in client.get("/skoler").get_data(as_text=True)
    page = client.get(f"/skoler/{school.id}").get_data(as_text=True)
    assert "Vejle" in page and "Skole Medlem" in page
    assert client.get("/skoler/99999").status_code == 404


def test_only_coordinators_add_and_edit_schools(client, auth, factory):
    school = factory.school()
    auth.login(factory.member())
    assert client.get("/skoler/ny").status_code == 403
    assert client.post(f"/skoler/{school.id}/rediger", data={"name": "Hacket"}).status_code == 403
    auth.logout()
    auth.login(factory.coordinator())
    response = client.post(
        "/skoler/ny",
        data={
            "name": "Ny Skole",
            "city": "Aalborg",
            "region": "nordjylland",
            "kind": "implementation",
            "education_areas": ["eux"],
        },
    )
    assert response.status_code == 302
    duplicate = client.post("/skoler/ny", data={"name": "ny skole", "region": "nordjylland", "kind": "other"})
    assert duplicate.status_code == 422
    assert "Der findes allerede en skole med det navn." in duplicate.get_data(as_text=True)


def test_only_admins_change_roles(client, auth, factory):
    member = factory.member()
    auth.login(factory.coordinator())
    assert client.post(f"/medlemmer/{member.id}/rolle", data={"role": "admin"}).status_code == 403
    auth.logout()
    auth.login(factory.admin())
    assert client.post(f"/medlemmer/{member.id}/rolle", data={"role": "coordinator"}).status_code == 302
    assert service.get_member(member.id).role == "coordinator"


def test_profile_text_is_escaped(client, auth, factory):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    owner = factory.member("Hacker Leder", bio=payload, title=payload)
    auth.login(factory.member())
    page = client.get(f"/medlemmer/{owner.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page
