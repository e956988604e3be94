"""An SMTP sink in a process of its own that counts what arrives instead of parsing it, so the
mail benchmark measures the portal, not the receiving end."""

import multiprocessing
import socket
import time


class _CountingHandler:
    def __init__(self, received, duplicates, size):
        self.received, self.duplicates, self.size, self.seen = received, duplicates, size, set()

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            if address in self.seen:
                with self.duplicates.get_lock():
                    self.duplicates.value += 1
            self.seen.add(address)
        # The size shows that whole mails arrive (text, calendar file, letter), not empty ones.
        with self.size.get_lock():
            self.size.value += len(envelope.original_content or envelope.content)
        with self.received.get_lock():
            self.received.value += len(envelope.rcpt_tos)
        return "250 OK"

    async def handle_RSET(self, server, session, envelope):
        return "250 OK"


def _serve(port, received, duplicates, size, reset):
    from aiosmtpd.controller import Controller

    handler = _CountingHandler(received, duplicates, size)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    while True:
        if reset.is_set():
            handler.seen.clear()
            reset.clear()
        time.sleep(0.05)


class CountingSink:
    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.host = "127.0.0.1"
        context = multiprocessing.get_context("spawn")
        self.received, self.duplicates, self._reset = context.Value("i", 0), context.Value("i", 0), context.Event()
        self.size = context.Value("q", 0)
        self._process = context.Process(
            target=_serve, args=(self.port, self.received, self.duplicates, self.size, self._reset), daemon=True
        )

    def start(self) -> "CountingSink":
        self._process.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the SMTP sink did not start")

    @property
    def count(self) -> int:
        return self.received.value

    @property
    def kilobytes_per_mail(self) -> float:
        return self.size.value / max(self.received.value, 1) / 1024

    def clear(self) -> None:
        self._reset.set()
        while self._reset.is_set():
            time.sleep(0.01)
        self.received.value = 0
        self.duplicates.value = 0
        self.size.value = 0

    def stop(self) -> None:
        self._process.terminate()
        self._process.join(5)
