"""``handouts serve`` started for real, as a person starts it: a subprocess on 127.0.0.1
on a port the system picks (``--port 0``; the port is read from the server's log), waited
for until its health check answers, stopped at the end."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import mkstemp

import httpx
import psutil

START_SECONDS = 120  # a loaded CI machine spawning and warming renderers; a hang, not a target
LISTENING = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+) ")


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


@contextmanager
def running(
    tmp: Path, *options: str, content: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[Server]:
    # Port 0, not a free port found here and passed on: another process (a parallel test
    # run, any outgoing connection) could take that port before the server binds it.
    handle, name = mkstemp(prefix="serve-", suffix=".log", dir=tmp)
    log = Path(name)
    command = [sys.executable, "-m", "handouts"]
    if content is not None:
        command += ["--content", str(content)]
    command += ["serve", "--port", "0", *options]
    with os.fdopen(handle, "wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}, start_new_session=True
        )
    server = Server("", process, log)
    try:
        _wait(server)
        yield server
    finally:
        _stop(process)


def _wait(server: Server) -> None:
    """Until the server says where it listens and its health check answers there."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"handouts serve exited with {server.process.returncode}:\n{server.access_log()}")
        if not server.url and (listening := LISTENING.search(server.access_log())):
            server.url = listening[1]
        try:
            if server.url and httpx.get(server.url + "/api/v1/healthz", timeout=5).status_code == 200:
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
