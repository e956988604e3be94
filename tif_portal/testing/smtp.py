"""A local SMTP sink for tests and benchmarks, with switchable failures."""

import email
import threading
from email import policy

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.sink.rcpt_reply(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.sink.data_reply:
            return self.sink.data_reply
        with self.sink.lock:
            self.sink.messages.append(
                email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
            )
        return "250 Message accepted"


class SmtpSink:
    def __init__(self, host="127.0.0.1", port=0):
        self.host = host
        self.port = port
        self.messages = []
        self.lock = threading.Lock()
        # address -> reply, e.g. "550 No such user" or "451 Try later"
        self.replies: dict[str, str] = {}
        # the reply to every end of data instead of accepting, e.g. "554 Message refused"
        self.data_reply: str | None = None
        self.controller = None

    def rcpt_reply(self, address: str) -> str | None:
        return self.replies.get(address.lower())

    def start(self):
        if not self.port:
            import socket

            with socket.socket() as probe:
                probe.bind((self.host, 0))
                self.port = probe.getsockname()[1]
        self.controller = Controller(_Handler(self), hostname=self.host, port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()

    def to(self, address: str):
        address = address.lower()
        with self.lock:
            return [m for m in self.messages if address in str(m["To"]).lower()]

    def clear(self):
        with self.lock:
            self.messages.clear()
