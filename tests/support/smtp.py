"""A real SMTP server (aiosmtpd) on a loopback port that keeps what it receives."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.support.server import free_port


@dataclass
class ReceivedMail:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class MailCatcher:
    host: str = "127.0.0.1"
    port: int = 0
    received: list[ReceivedMail] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        content = envelope.original_content or envelope.content or b""
        raw = content if isinstance(content, bytes) else content.encode()
        parsed = message_from_bytes(raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(
            ReceivedMail(
                sender=str(envelope.mail_from),
                recipients=[str(address) for address in envelope.rcpt_tos],
                message=parsed,
            )
        )
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def running_smtp_server() -> Iterator[MailCatcher]:
    # aiosmtpd connects to its own port to confirm start-up, so it needs a concrete one
    catcher = MailCatcher(port=free_port())
    controller = Controller(catcher, hostname=catcher.host, port=catcher.port)
    controller.start()
    try:
        yield catcher
    finally:
        controller.stop()
