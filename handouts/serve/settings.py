"""What ``handouts serve`` was started with, checked before anything listens.

Listening beyond this machine without a token would let anyone on the network use the
API, so it is refused at start, not discovered later.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

TOKEN_VARIABLE = "HANDOUTS_API_TOKEN"
MIN_TOKEN_CHARS = 16  # a token a person could guess protects nothing


class Unsafe(Exception):
    """A setting the service refuses to start with; the message says what to do."""


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1  # renderer processes
    content: Path | None = None
    token: str | None = None  # required by /api/v1 when set; must be set to listen beyond loopback
    max_body: int = 64 * 1024  # bytes: a request is a few names and a dose plan, never a file
    idle_timeout: int = 30  # seconds a client may send nothing before it is dropped
    rate: float = 10.0  # requests per second per client, sustained (0: no limit)
    burst: int = 40  # requests a client may send at once before the rate applies

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def check(self) -> None:
        if self.token is not None and len(self.token) < MIN_TOKEN_CHARS:
            raise Unsafe(f"{TOKEN_VARIABLE} is shorter than {MIN_TOKEN_CHARS} characters; use a long random one")
        if not self.loopback and not self.token:
            raise Unsafe(
                f"--host {self.host} listens beyond this machine, so the API needs a token: set {TOKEN_VARIABLE} "
                "(e.g. to the output of 'python -c \"import secrets; print(secrets.token_urlsafe(32))\"'), "
                "or keep the default --host 127.0.0.1"
            )


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


def token_from_env() -> str | None:
    return os.environ.get(TOKEN_VARIABLE) or None
