"""Final reports for demo AL projects, written on the spot as PDF (fpdf2), DOCX (python-docx) or Markdown.

They are uploaded like a member's report, so their text is extracted and searchable.
"""

import datetime as dt
import io

import docx
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from network.demo.data import DemoDataError


def final_report(kind: str, parts: list[tuple[str, str]], title: str = "") -> tuple[str, bytes]:
    """(file name, bytes) of a final report in the given format."""
    name = f"Slutrapport - {title[:60]}" if title else "Slutrapport"
    if kind == "pdf":
        return f"{name}.pdf", _pdf(title, parts)
    if kind == "docx":
        return f"{name}.docx", _docx(title, parts)
    if kind == "md":
        text = "\n\n".join([f"# {title}", *(f"## {heading}\n\n{body}" for heading, body in parts)])
        return f"{name}.md", text.encode()
    raise DemoDataError(f"unknown report format {kind!r} (pdf, docx or md)")


def _pdf(title: str, parts: list[tuple[str, str]]) -> bytes:
    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2016, 6, 1, tzinfo=dt.UTC))  # the same bytes on every run
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=14)
    pdf.multi_cell(0, 8, _latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for heading, body in parts:
        pdf.ln(3)
        pdf.set_font("helvetica", style="B", size=11)
        pdf.multi_cell(0, 6, _latin1(heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(0, 6, _latin1(body), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def _latin1(text: str) -> str:
    # The PDF core fonts are Latin-1: Danish letters are fine, typographic dashes are not.
    return text.replace("–", "-").replace("—", "-")


def _docx(title: str, parts: list[tuple[str, str]]) -> bytes:
    document = docx.Document()
    document.add_heading(title, level=1)
    for heading, body in parts:
        document.add_heading(heading, level=2)
        document.add_paragraph(body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
