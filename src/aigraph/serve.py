"""A read-only SPARQL 1.1 Protocol endpoint over a snapshot of the graph.

The server is the ``oxigraph`` package's own HTTP server (``oxigraph serve-read-only``): it
answers ``/query`` (SPARQL 1.1 Protocol, GET and POST) and refuses updates with HTTP 403. It
runs over a *snapshot* of the store (a backup, or an RDF file loaded into a fresh folder) so
that `aigraph build` can keep writing the store while the server runs, and it is removed when
the server stops. It binds to 127.0.0.1 unless told otherwise, and stops any query running
longer than the timeout (``--timeout-s`` of the server).

Examples
--------
>>> loopback("127.0.0.1"), loopback("0.0.0.0")
(True, False)
"""

from __future__ import annotations

import contextlib
import ipaddress
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ServerError

#: Defaults of ``aigraph serve``.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30.0

#: RDF files that can be served directly (loaded into the snapshot), by suffix.
RDF_FILE_MEDIA_TYPES = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
}


def loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or ``localhost``)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server program (installed with the ``oxigraph`` package)."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise ServerError("the `oxigraph` server program is not installed: `pip install oxigraph`")
    return found


def snapshot(source: Path, location: Path) -> bool:
    """Copy the graph at ``source`` into a new Oxigraph folder ``location``.

    ``source`` is an aigraph store folder (copied with Oxigraph's online backup, which
    keeps its merged default graph) or an RDF file (``.trig .nq .ttl .nt``, loaded as is).
    Returns whether the server must answer over the union of the named graphs (RDF files:
    they have no merged default graph).
    """
    import pyoxigraph as ox

    source = Path(source)
    if source.is_file():
        media = RDF_FILE_MEDIA_TYPES.get(source.suffix)
        if media is None:
            raise ServerError(f"{source}: serve a store folder or a .trig/.nq/.ttl/.nt file")
        target = ox.Store(str(location))
        try:
            target.bulk_load(path=str(source), format=ox.RdfFormat.from_media_type(media))
            target.flush()
        except (SyntaxError, ValueError, OSError) as exc:
            raise ServerError(f"cannot load {source}: {exc}") from exc
        finally:
            del target  # releases the folder's lock for the server process
        return True
    from .store import open_store

    store = open_store(source, read_only=True)
    try:
        store.inner.backup(str(location))
    except OSError as exc:
        raise ServerError(f"cannot snapshot the store at {source}: {exc}") from exc
    finally:
        store.close()
    return False


def _wait_ready(process: subprocess.Popen[bytes], url: str, deadline_s: float) -> None:
    ask = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    stop = time.monotonic() + deadline_s
    while time.monotonic() < stop:
        if process.poll() is not None:
            err = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
            raise ServerError(f"the SPARQL server exited at start: {err.strip()}")
        try:
            with urllib.request.urlopen(ask, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise ServerError(f"the SPARQL server did not answer within {deadline_s:.0f} s")


@dataclass
class RunningServer:
    """A started server: its URLs, and :meth:`stop` (also called on leaving a ``with``)."""

    host: str
    port: int
    process: subprocess.Popen[bytes]
    location: Path
    read_only: bool = True
    _workdir: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        return self.base_url + "/update"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store HTTP Protocol endpoint."""
        return self.base_url + "/store"

    def stop(self) -> None:
        """Stop the server and delete its snapshot."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_server(
    source: Path | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    read_only: bool = True,
    ready_within_s: float = 20.0,
) -> RunningServer:
    """Start an Oxigraph SPARQL server over a snapshot of ``source``; return when it answers.

    Parameters
    ----------
    source
        A store folder or an RDF file; ``None`` with ``read_only=False`` starts an empty
        writable server (the target of `aigraph push` in tests).
    host, port
        Where to listen. 127.0.0.1 by default: other hosts expose the graph to the network.
    timeout_s
        Queries running longer are stopped by the server.
    read_only
        ``oxigraph serve-read-only``: updates are answered 403 and the data never changes.

    Examples
    --------
    >>> with start_server("tests/data/queries/mini.trig", port=free_port()) as server:
    ...     server.query_url.startswith("http://127.0.0.1:")
    True
    """
    if source is None and read_only:
        raise ServerError("a read-only server needs a store or an RDF file to serve")
    _check_port_free(host, port)
    workdir = tempfile.TemporaryDirectory(prefix="aigraph-serve-")
    location = Path(workdir.name) / "db"
    try:
        union = snapshot(Path(source), location) if source is not None else True
        command = [
            oxigraph_binary(),
            "serve-read-only" if read_only else "serve",
            "--location",
            str(location),
            "--bind",
            f"{host}:{port}",
            "--timeout-s",
            str(max(1, round(timeout_s))),
        ]
        if union:
            command.append("--union-default-graph")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except BaseException:
        workdir.cleanup()
        raise
    server = RunningServer(host, port, process, location, read_only, workdir)
    try:
        _wait_ready(process, server.query_url, ready_within_s)
        if process.poll() is not None:
            raise ServerError("the SPARQL server stopped right after starting")
    except BaseException:
        server.stop()
        raise
    return server


def _check_port_free(host: str, port: int) -> None:
    # Otherwise the readiness check could be answered by whatever already listens there.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with contextlib.closing(socket.socket(family, socket.SOCK_STREAM)) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port free on ``host`` right now (for tests and examples)."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(source: Path, **options: object) -> Iterator[RunningServer]:
    """:func:`start_server` as a context manager that always stops the server."""
    server = start_server(source, **options)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


def serve(
    source: Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    announce: object = print,
) -> None:
    """Serve ``source`` read-only until interrupted (Ctrl-C); what `aigraph serve` runs."""
    with serving(source, host=host, port=port, timeout_s=timeout_s) as server:
        if not loopback(host):
            announce(f"warning: listening on {host}: the graph is visible to the network")
        announce(f"SPARQL endpoint: {server.query_url}  (read-only; Ctrl-C stops)")
        # SIGTERM (a service manager, `kill`) must also stop the server and remove the
        # snapshot: turn it into the same KeyboardInterrupt as Ctrl-C, so `serving` cleans up.
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            with contextlib.suppress(KeyboardInterrupt):
                server.process.wait()
        finally:
            signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT_S",
    "RunningServer",
    "free_port",
    "loopback",
    "oxigraph_binary",
    "serve",
    "serving",
    "snapshot",
    "start_server",
]
