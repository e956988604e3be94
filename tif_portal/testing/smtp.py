"""A local SMTP sink for tests and benchmarks, with switchable failures."""

import email
import threading
from email import policy

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.sink.lock:
            self.sink.connections += 1
        if self.sink.greeting_reply:
            return [self.sink.greeting_reply]
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        if self.sink.greeting_reply:
            return self.sink.greeting_reply
        session.host_name = hostname
        return f"250 {server.hostname}"

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
            drop = self.sink.drops_after_data > 0
            self.sink.drops_after_data -= drop
        if drop:
            # The message is taken, but the connection goes before the sender hears so.
            server.transport.abort()
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
        # the reply to EHLO and HELO instead of a greeting, e.g. "421 Too busy"
        self.greeting_reply: str | None = None
        # this many messages are taken and then the connection is cut before the reply
        self.drops_after_data = 0
        self.connections = 0
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
