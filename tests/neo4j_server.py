"""A real Neo4j server for tests: Maven Central jars on the local JDK, no Docker.

Typical use (e.g. from a session-scoped fixture)::

    server = Neo4jServer()
    uri = server.start()      # fetches the jars once, then e.g. "bolt://127.0.0.1:40123"
    ...                       # GraphDatabase.driver(uri, auth=None): auth is disabled
    server.stop()             # the API now sees the database go away
    server.start()            # same port, same data directory, same data
    server.close()            # stop, and delete the data directory if it was a temp one

`scripts/neo4j.sh` does the fetching and knows the JVM flags; `neo4j/Server.java` is the
launcher and `neo4j/pom.xml` pins the Neo4j version. The server runs with
`--exit-on-stdin-close`, so it dies with the test process even if `stop()` never runs.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, NoReturn

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "neo4j.sh"
READY_PREFIX = "READY "
DEFAULT_START_TIMEOUT = float(os.environ.get("NEO4J_START_TIMEOUT", "180"))
STOP_TIMEOUT = 30.0


class Neo4jServerError(RuntimeError):
    """The test server could not be fetched or started."""


def missing_prerequisites() -> str | None:
    """Why the server cannot run here (no java, no mvn), or None if it can."""
    for tool in ("bash", "java", "mvn"):
        if shutil.which(tool) is None and not _jdk_installed(tool):
            return f"{tool} not found"
    return None


def _jdk_installed(tool: str) -> bool:
    return tool == "java" and any(Path("/usr/lib/jvm").glob("java-*-openjdk-*/bin/java"))


def fetch_jars() -> None:
    """Download the Neo4j jars into .cache/neo4j/lib (a no-op when already there)."""
    result = subprocess.run(["bash", str(SCRIPT), "fetch"], check=False)
    if result.returncode != 0:
        raise Neo4jServerError(f"scripts/neo4j.sh fetch failed with exit code {result.returncode}")


def _pump_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


class Neo4jServer:
    """One Neo4j process on 127.0.0.1 that can be stopped and started again in place.

    The first `start()` picks a free port (unless `port` is given); later starts reuse the
    same port and data directory, so an outage test can stop the server under a running
    API and bring the same database back where the API expects it.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        port: int = 0,
        start_timeout: float = DEFAULT_START_TIMEOUT,
    ) -> None:
        self._owns_data_dir = data_dir is None
        self.data_dir = data_dir or Path(tempfile.mkdtemp(prefix="citegraph-neo4j-"))
        self.port = port
        self.start_timeout = start_timeout
        self.startup_seconds: float | None = None
        self._process: subprocess.Popen[str] | None = None
        self._stderr: IO[str] | None = None

    @property
    def uri(self) -> str:
        """The Bolt URI (valid once the server has started at least once)."""
        if self.port == 0:
            raise Neo4jServerError("the server has not been started yet")
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        """The launcher's stderr; Neo4j's own logs are in data_dir/logs/."""
        return self.data_dir / "launcher.log"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self.is_running() and self._process else None

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> str:
        """Fetch the jars if needed, start the server, wait for Bolt, return the URI."""
        if self.is_running():
            return self.uri
        fetch_jars()
        began = time.monotonic()
        self._process = self._spawn()
        self.port = self._await_ready_port(self._process)
        self.startup_seconds = time.monotonic() - began
        print(f"neo4j_server: {self.uri} up in {self.startup_seconds:.1f} s", file=sys.stderr)
        return self.uri

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop the server (SIGTERM, then SIGKILL after `timeout`); the data stays."""
        process, self._process = self._process, None
        if process is not None:
            _terminate(process, timeout)
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def restart(self) -> str:
        """Stop, then start again on the same port and data directory."""
        self.stop()
        return self.start()

    def close(self) -> None:
        """Stop, and delete the data directory if this object created it."""
        self.stop()
        if self._owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Neo4jServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _spawn(self) -> subprocess.Popen[str]:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._stderr = self.log_path.open("a", encoding="utf-8")
        port, data_dir = str(self.port), str(self.data_dir)
        command = ["bash", str(SCRIPT), "run", port, data_dir, "--exit-on-stdin-close"]
        return subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            cwd=ROOT,
        )

    def _await_ready_port(self, process: subprocess.Popen[str]) -> int:
        assert process.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump_lines, args=(process.stdout, lines), daemon=True).start()
        deadline = time.monotonic() + self.start_timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = lines.get(timeout=remaining)
            except queue.Empty:
                break
            if line is None:
                self._fail(f"exited with code {process.wait()} during start-up")
            if line.startswith(READY_PREFIX):
                return int(line.rsplit(":", 1)[1])
        self._fail(f"Bolt not ready after {self.start_timeout:.0f} s")

    def _fail(self, reason: str) -> NoReturn:
        self.stop()
        tail = self.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise Neo4jServerError(f"Neo4j {reason}; launcher log {self.log_path}:\n{tail}")


def _terminate(process: subprocess.Popen[str], timeout: float) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()


def main() -> None:
    """Start a server, print its URI and start-up time, run a query, restart, stop."""
    with Neo4jServer() as server:
        print(f"uri={server.uri} pid={server.pid} startup={server.startup_seconds:.1f}s")
        began = time.monotonic()
        server.restart()
        print(f"restart on the same port took {time.monotonic() - began:.1f} s")


if __name__ == "__main__":
    main()
