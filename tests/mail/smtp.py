"""A real SMTP server for the mail tests (aiosmtpd), which a test takes down, hangs, slows or refuses.

It listens on one port for its whole life, so the app's settings never change: ``up()`` serves,
``down()`` closes the port (connection refused), ``hang()`` accepts connections and never greets
(a stuck server: the client times out). It counts connections (EHLO/HELO) and keeps every mail.
"""

import asyncio
import socket
import threading
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller

from tests.rooms.live import free_port


class MailServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[EmailMessage] = []
        self.connections = 0
        self.delay = 0.0  # seconds before the server accepts a mail's data
        self.refuse: set[str] = set()  # addresses answered with 550 (no such user)
        self._controller: Controller | None = None
        self._hung: socket.socket | None = None
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()

    # --- states ------------------------------------------------------------------------------

    def up(self) -> "MailServer":
        self.down()
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def down(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        if self._hung is not None:
            self._hung.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread; close alone does not
            self._hung.close()
            self._hung = None
        for held in self._held:
            held.close()
        self._held.clear()

    def hang(self) -> None:
        """Accept connections and say nothing: the client waits for a greeting until it times out."""
        self.down()
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._hung = listener

        def accept() -> None:
            while True:
                try:
                    connection, _address = listener.accept()
                except OSError:
                    return
                self._held.append(connection)

        threading.Thread(target=accept, daemon=True).start()

    # --- what it got -------------------------------------------------------------------------

    def recipients(self) -> list[str]:
        with self._lock:
            return [str(m["To"]) for m in self.received]

    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(m["Message-ID"]) for m in self.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        raise AssertionError(f"the SMTP server got {len(self.received)} mails, not {count}, in {timeout} s")


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.server.connections += 1
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        self.server.connections += 1
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.server.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.server.delay:
            await asyncio.sleep(self.server.delay)
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content or envelope.content)
        with self.server._lock:
            self.server.received.append(message)
        return "250 Message accepted for delivery"
