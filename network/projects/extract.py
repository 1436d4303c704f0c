"""What a report is (from its bytes, not its name) and its text, read in a bounded child process.

pypdf and python-docx run in a separate Python process with a CPU-time and address-space limit
and a wall-clock timeout, so an encrypted, broken or hostile file cannot hang or exhaust a worker.
Run as ``python -m network.projects.extract KIND PATH``; prints JSON ``{"state": ..., "text": ...}``.
"""

import ctypes
import io
import json
import os
import signal
import subprocess
import sys
import zipfile

MAX_TEXT_CHARS = 500_000  # more than any report; keeps the index and the page sane


def detect_kind(data: bytes, filename: str = "") -> str | None:
    """pdf, docx, md or txt from the content (the name only tells Markdown from plain text)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        return "docx" if {"[Content_Types].xml", "word/document.xml"} <= names else None
    if b"\x00" in data[:65536]:
        return None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return "md" if filename.lower().endswith((".md", ".markdown")) else "txt"


def extract_text(kind: str, path: str, timeout: float, memory_bytes: int) -> tuple[str, str]:
    """(state, text) for a stored file: state is ok, empty, encrypted or failed."""
    if kind in ("txt", "md"):
        with open(path, encoding="utf-8-sig", errors="replace") as file:
            text = file.read(MAX_TEXT_CHARS)
        return ("ok" if text.strip() else "empty"), text

    parent = os.getpid()

    def limit() -> None:  # runs in the child, before Python starts
        import resource

        _die_with(parent)
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        cpu = int(timeout) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    try:
        completed = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", "network.projects.extract", kind, path],
            capture_output=True,
            timeout=timeout,
            preexec_fn=limit,  # noqa: PLW1509 - no threads are started between fork and exec here
            check=False,
        )
        answer = json.loads(completed.stdout or b"{}")
    except (subprocess.TimeoutExpired, ValueError, OSError):
        return "failed", ""
    state, text = answer.get("state", "failed"), answer.get("text", "")
    if state == "ok" and not text.strip():
        state = "empty"
    return state, text[:MAX_TEXT_CHARS]


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """In the child: be killed when the web process dies (``kill -9`` included), not left running."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the wall-clock timeout still bounds it
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _read_pdf(path: str) -> tuple[str, str]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                return "encrypted", ""
        except Exception:  # noqa: BLE001 - unknown encryption is as good as locked
            return "encrypted", ""
    parts, size = [], 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size > MAX_TEXT_CHARS:
            break
    return "ok", "\n\n".join(parts)


def _read_docx(path: str) -> tuple[str, str]:
    import docx

    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "ok", "\n".join(parts)


def _main(kind: str, path: str) -> None:
    import warnings

    warnings.simplefilter("ignore")
    try:
        state, text = _read_pdf(path) if kind == "pdf" else _read_docx(path)
    except Exception:  # noqa: BLE001 - a broken file is an answer, not a crash
        state, text = "failed", ""
    sys.stdout.write(json.dumps({"state": state, "text": text[:MAX_TEXT_CHARS]}))


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2])
