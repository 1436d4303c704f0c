"""Reports: the type comes from the bytes, text is extracted within bounds, bad files get a message."""

import pytest

from network.db import db
from network.errors import NotAllowed
from network.projects import attachments
from network.projects.extract import detect_kind
from network.search import service as search
from network.search.backend import SearchQuery
from tests.projects.files import corrupt_docx_bytes, docx_bytes, encrypted_pdf_bytes, pdf_bytes


def test_type_is_decided_from_the_content_not_the_name():
    assert detect_kind(pdf_bytes("hej"), "rapport.txt") == "pdf"
    assert detect_kind(docx_bytes("hej"), "rapport.pdf") == "docx"
    assert detect_kind(b"# Overskrift", "noter.md") == "md"
    assert detect_kind(b"ren tekst", "noter.pdf") == "txt"
    assert detect_kind(b"\x89PNG\r\n\x1a\n\x00\x00", "rapport.pdf") is None
    assert detect_kind(b"PK\x03\x04broken", "rapport.docx") is None


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: pdf_bytes("Kaffemøder med lærerteamet"), "rapport.pdf"),
        (lambda: docx_bytes("Kaffemøder med lærerteamet"), "rapport.docx"),
    ],
)
def test_pdf_and_docx_text_is_found_by_search_naming_the_file(factory, projects, make, name):
    leader = factory.member()
    project = projects.project(leader, title="Et projekt")
    attachment = attachments.add_attachment(leader, project, name, make())
    db.session.commit()
    assert attachment.extraction == "ok"
    hit = search.search(leader, SearchQuery(q="kaffemøder")).hits[0]
    assert hit.snippet_file == name and "<mark>" in hit.snippet
    assert attachments.attachment_path(attachment).exists()
    assert attachment.stored_name not in name and "/" not in attachment.stored_name


def test_an_encrypted_pdf_is_kept_without_text(factory, projects):
    leader = factory.member()
    project = projects.project(leader)
    attachment = attachments.add_attachment(leader, project, "låst.pdf", encrypted_pdf_bytes("hemmeligt"))
    db.session.commit()
    assert attachment.extraction == "encrypted" and attachment.text == ""


def test_a_corrupt_docx_is_kept_and_marked_failed(factory, projects):
    leader = factory.member()
    project = projects.project(leader)
    attachment = attachments.add_attachment(leader, project, "i stykker.docx", corrupt_docx_bytes())
    assert attachment.extraction == "failed"


def test_wrong_type_empty_and_too_large_files_are_refused(factory, projects, app):
    leader = factory.member()
    project = projects.project(leader)
    with pytest.raises(attachments.InvalidAttachment, match="PDF, Word"):
        attachments.add_attachment(leader, project, "billede.pdf", b"\x89PNG\r\n\x1a\n\x00")
    with pytest.raises(attachments.InvalidAttachment, match="tom"):
        attachments.add_attachment(leader, project, "tom.txt", b"")
    app.config["ATTACHMENT_MAX_BYTES"] = 10
    with pytest.raises(attachments.InvalidAttachment, match="for stor"):
        attachments.add_attachment(leader, project, "lang.txt", b"x" * 11)


def test_an_extraction_that_takes_too_long_is_stopped_and_the_file_kept(factory, projects, app):
    leader = factory.member()
    project = projects.project(leader)
    app.config["EXTRACTION_TIMEOUT_SECONDS"] = 0.01  # no interpreter starts that fast: the child is killed
    attachment = attachments.add_attachment(leader, project, "x.pdf", pdf_bytes("langsom"))
    db.session.commit()
    assert attachment.extraction == "failed"
    assert attachments.attachment_path(attachment).exists()


def test_only_editors_attach(factory, projects):
    leader, other = factory.member(), factory.member()
    project = projects.project(leader)
    with pytest.raises(NotAllowed):
        attachments.add_attachment(other, project, "x.txt", b"tekst")


def test_safe_filename():
    assert attachments.safe_filename("../../etc/passwd") == "passwd"
    assert attachments.safe_filename("C:\\Users\\rapport æøå.pdf") == "rapport æøå.pdf"
    assert attachments.safe_filename('a"b\r\n.pdf') == "a_b_.pdf"
