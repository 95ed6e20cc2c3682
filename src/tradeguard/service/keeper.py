"""The process a server's audit writer commits in, so that keeping runs beside screening.

A server screens on its event loop and keeps what it screened (the audit chain, screened
payments with their alerts) in the audit writer's thread. Both need the interpreter lock,
so under load the keeping, about half of a screened payment's CPU, came out of the
screening's time, and every request waited for both in turn. Here the writer's batches are
written by a process of their own, on a connection of their own, while the server's
process goes on screening: the writer's thread sends a batch (pickled) and waits for the
outcomes without holding the lock.

The process is started with the server's interpreter (``python -m tradeguard.service.keeper``)
and talks over a socket pair: the store's URL and the server's import path first (the URL
never on the command line, where ``ps`` would show a password; the path so that the
functions a batch names import there as here), then one batch per message and one list of
outcomes per reply; an empty message, or the server's end closing, stops it. It ignores
Ctrl-C and SIGTERM, which a terminal or a service manager sends to the whole process
group: the server commits what is queued when it stops, then closes it; a server that is
gone closes its end of the socket.
"""

from __future__ import annotations

import contextlib
import pickle
import signal
import socket
import subprocess
import sys
from multiprocessing.connection import Connection
from typing import Any

# (result, None) or (None, the exception): one per item of a batch, in order
Outcome = tuple[Any, BaseException | None]


class KeeperStopped(RuntimeError):
    """The keeper process is gone; whether the batch it was writing committed is unknown."""


class KeeperNotStarted(OSError):
    """The keeper process ended before it was ready: nothing was sent to it."""


class NotSendable(Exception):
    """The batch cannot be written by the keeper (it cannot be pickled here, or loaded
    there); nothing of it was written."""


_UNLOADABLE = b"unloadable"  # the reply to a batch the keeper could not load
_READY = b"ready"  # the keeper's first message, once it has its connection


class KeeperProcess:
    """The server's side of the keeper: ``write`` sends a batch and returns its outcomes."""

    def __init__(self, db_url: str) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tradeguard.service.keeper", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
            )
        self._conn = Connection(ours.detach())
        try:
            self._conn.send((db_url, list(sys.path)))
            ready = self._conn.recv_bytes() == _READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._conn.close()
            self._process.kill()
            code = self._process.wait()
            raise KeeperNotStarted(f"the audit keeper process ended (exit code {code}) before it was ready")

    @property
    def pid(self) -> int:
        return self._process.pid

    def write(self, batch: list[Any]) -> list[Outcome]:
        """The outcome of each item. Raises ``NotSendable`` when the batch cannot be pickled
        (a local function, say) or loaded by the keeper, and ``KeeperStopped`` when the
        process is gone."""
        try:
            data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            raise NotSendable(str(exc)) from exc
        try:
            self._conn.send_bytes(data)
            reply = self._conn.recv_bytes()
        except (EOFError, OSError) as exc:
            code = self._process.poll()
            raise KeeperStopped(f"the audit keeper process stopped (exit code {code}) during a commit") from exc
        if reply == _UNLOADABLE:
            raise NotSendable("the keeper process could not load the batch")
        outcomes: list[Outcome] = pickle.loads(reply)
        return outcomes

    def close(self, timeout: float = 30.0) -> None:
        """Stop the process (it finishes the batch it holds first)."""
        with contextlib.suppress(OSError):
            self._conn.send_bytes(b"")
        self._conn.close()
        try:
            self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def _sendable(outcomes: list[Outcome]) -> bytes:
    """The outcomes pickled; an exception that cannot be pickled travels as its text."""
    try:
        return pickle.dumps(outcomes, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - any pickling failure: send what can be sent
        plain: list[Outcome] = []
        for result, exc in outcomes:
            if exc is not None:
                try:
                    pickle.dumps(exc)
                except Exception:  # noqa: BLE001 - as above
                    exc = RuntimeError(f"{type(exc).__name__}: {exc}")
            plain.append((result, exc))
        return pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL)


def main(argv: list[str]) -> int:
    """The keeper process: write each batch received, reply with its outcomes."""
    from tradeguard.service.audit_writer import write_batch
    from tradeguard.store.db import connect

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    conn = Connection(int(argv[0]))
    db_url, sys.path[:] = conn.recv()
    engine = connect(db_url)
    conn.send_bytes(_READY)
    try:
        while True:
            try:
                data = conn.recv_bytes()
            except (EOFError, OSError):
                return 0
            if not data:
                return 0
            try:
                batch = pickle.loads(data)
            except Exception:  # noqa: BLE001 - a function that does not import here: written by the server
                conn.send_bytes(_UNLOADABLE)
                continue
            conn.send_bytes(_sendable(write_batch(engine, batch)))
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
