"""``handouts serve`` started for real, as a person starts it: a subprocess on 127.0.0.1
on a free port, waited for until its health check answers, stopped at the end."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

START_SECONDS = 120  # a loaded CI machine spawning and warming renderers; a hang, not a target


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def renderers(self) -> list[psutil.Process]:
        """The renderer processes (multiprocessing's spawned children, not its resource tracker)."""
        children = psutil.Process(self.process.pid).children(recursive=True)
        return [p for p in children if "spawn_main" in " ".join(_cmdline(p))]

    def access_log(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:
        return []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(
    tmp: Path, *options: str, content: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[Server]:
    port = free_port()
    log = tmp / f"serve-{port}.log"
    command = [sys.executable, "-m", "handouts"]
    if content is not None:
        command += ["--content", str(content)]
    command += ["serve", "--port", str(port), *options]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        _wait(server)
        yield server
    finally:
        _stop(process)


def _wait(server: Server) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"handouts serve exited with {server.process.returncode}:\n{server.access_log()}")
        try:
            if httpx.get(server.url + "/api/v1/healthz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"handouts serve did not answer in {START_SECONDS} s:\n{server.access_log()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, as a service manager stops it; the whole group if it will not go."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
