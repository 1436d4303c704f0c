import io

import pytest
from PIL import Image

from network.errors import NotAllowed
from network.members import service
from network.members.service import DirectoryFilters, ProfileChanges


def png_bytes(size=(300, 200), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 80)).save(buffer, format=fmt)
    return buffer.getvalue()


def test_email_is_unique_regardless_of_case(factory):
    school = factory.school()
    factory.member(email="Anna.Holm@skole.test", school=school)
    with pytest.raises(service.EmailTaken):
        service.create_member(email="anna.holm@SKOLE.test", name="Anna", school_id=school.id)
    assert service.find_member_by_email("ANNA.HOLM@skole.test").email == "Anna.Holm@skole.test"


def test_unknown_school_is_refused(factory):
    with pytest.raises(service.UnknownSchool):
        service.create_member(email="x@skole.test", name="X", school_id=9999)


@pytest.mark.parametrize("password", ["kort", "password1234", "aaaaaaaaaaaa", "qwertyuiop"])
def test_weak_passwords_are_refused(factory, password):
    member = factory.member()
    with pytest.raises(service.WeakPassword):
        service.set_password(member, password)


def test_password_like_the_members_own_name_is_refused(factory):
    member = factory.member(name="Birgitte Sørensen", email="birgitte@skole.test")
    with pytest.raises(service.WeakPassword):
        service.set_password(member, "birgitte2024")


def test_new_password_rotates_the_session_token(factory):
    member = factory.member()
    before = member.session_token
    service.set_password(member, "kaffe og kridt på tavlen")
    assert member.session_token != before
    assert service.check_password(member, "kaffe og kridt på tavlen")
    assert not service.check_password(member, "forkert adgangskode")


def test_members_edit_only_their_own_profile(factory):
    me, other = factory.member(), factory.member()
    with pytest.raises(NotAllowed):
        service.update_profile(me, other, ProfileChanges(name="Hacket"))


def test_profile_update_keeps_only_known_vocabulary(factory):
    me = factory.member()
    service.update_profile(
        me,
        me,
        ProfileChanges(
            tools=["motivation", "nonsense"], focus_areas=["visible"], private_fields=["phone", "x"]
        ),
    )
    assert list(me.tools) == ["motivation"]
    assert list(me.focus_areas) == ["visible"]
    assert me.private_fields == ["phone"]


def test_private_fields_are_hidden_from_members_but_not_from_coordinators(factory):
    owner = factory.member(phone="+45 11 22 33 44", private_fields=["phone", "email"])
    peer, coordinator = factory.member(), factory.coordinator()
    assert "phone" not in service.visible_profile(peer, owner)
    assert "email" not in service.visible_profile(peer, owner)
    assert service.visible_profile(coordinator, owner)["phone"] == "+45 11 22 33 44"
    assert service.visible_profile(owner, owner)["email"] == owner.email


def test_only_admins_change_roles_and_the_last_admin_stays(factory):
    admin, coordinator, member = factory.admin(), factory.coordinator(), factory.member()
    with pytest.raises(NotAllowed):
        service.change_role(coordinator, member, "coordinator")
    service.change_role(admin, member, "coordinator")
    assert member.role == "coordinator"
    with pytest.raises(service.DomainError):
        service.change_role(admin, admin, "member")


def test_directory_filters(factory):
    north = factory.school("Nordskolen", region="nordjylland")
    south = factory.school("Sydskolen", region="syddanmark")
    anna = factory.member("Anna Nord", school=north, tools=["motivation"], focus_areas=["visible"])
    factory.member("Bo Syd", school=south, tools=["language"], open_for_sparring=False)
    viewer = factory.member("Viewer", school=south)

    def names(**filters):
        return [m.name for m in service.search_directory(viewer, DirectoryFilters(**filters)).items]

    assert names(region="nordjylland") == ["Anna Nord"]
    assert names(tool="motivation") == ["Anna Nord"]
    assert names(focus="visible") == ["Anna Nord"]
    assert names(school_id=south.id) == ["Bo Syd", "Viewer"]
    assert "Bo Syd" not in names(open_for_sparring=True)
    assert names(q="nord") == ["Anna Nord"]
    assert anna.id in [m.id for m in service.search_directory(viewer, DirectoryFilters()).items]


def test_a_private_tool_does_not_leak_through_the_tool_filter(factory):
    factory.member("Skjult Leder", tools=["motivation"], private_fields=["tools"])
    viewer, coordinator = factory.member(), factory.coordinator()
    found = service.search_directory(viewer, DirectoryFilters(tool="motivation")).items
    assert [m.name for m in found] == []
    found = service.search_directory(coordinator, DirectoryFilters(tool="motivation")).items
    assert [m.name for m in found] == ["Skjult Leder"]


def test_avatar_is_reencoded_as_a_square_png(factory, app):
    member = factory.member()
    service.set_avatar(member, io.BytesIO(png_bytes(fmt="JPEG")))
    stored = service.avatar_dir() / member.avatar_file
    with Image.open(stored) as image:
        assert image.format == "PNG"
        assert image.size == (app.config["AVATAR_SIZE_PX"],) * 2


def test_avatar_must_be_an_image_of_limited_size(factory, app):
    member = factory.member()
    with pytest.raises(service.InvalidAvatar):
        service.set_avatar(member, io.BytesIO(b"%PDF-1.4 not an image"))
    with pytest.raises(service.InvalidAvatar):
        service.set_avatar(member, io.BytesIO(b"\x89PNG" + b"0" * app.config["AVATAR_MAX_BYTES"]))
    assert member.avatar_file is None


def test_replacing_an_avatar_removes_the_old_file(factory):
    member = factory.member()
    service.set_avatar(member, io.BytesIO(png_bytes()))
    first = service.avatar_dir() / member.avatar_file
    service.set_avatar(member, io.BytesIO(png_bytes()))
    assert not first.exists()
    service.remove_avatar(member)
    assert member.avatar_file is None


def test_a_private_title_cannot_be_found_by_searching_for_it(factory):
    owner = factory.member("Skjult Titel", title="Konstitueret vicedirektør", private_fields=["title"])
    viewer, coordinator = factory.member(), factory.coordinator()
    found = service.search_directory(viewer, DirectoryFilters(q="vicedirektør")).items
    assert found == []
    assert service.search_directory(viewer, DirectoryFilters(q="Skjult")).items == [owner]
    assert service.search_directory(coordinator, DirectoryFilters(q="vicedirektør")).items == [owner]
    assert service.search_directory(owner, DirectoryFilters(q="vicedirektør")).items == [owner]


def test_wildcards_in_the_search_are_plain_characters(factory):
    factory.member("Anna Andersen", title="Uddannelsesleder")
    percent = factory.member("Bo 100% Hansen")
    viewer = factory.member("Viewer Person")
    assert service.search_directory(viewer, DirectoryFilters(q="%")).items == [percent]
    assert service.search_directory(viewer, DirectoryFilters(q="_")).items == []
    assert service.search_directory(viewer, DirectoryFilters(q="A_na")).items == []
