"""Failed logins slowed down per client: after ``FREE_FAILURES`` failed logins from one
client address within ``WINDOW_SECONDS``, every login attempt from it is refused (HTTP 429,
``Retry-After``) until the oldest of those failures leaves the window. A successful login
clears the client's record. Kept in the server process (each worker counts its own)."""

from __future__ import annotations

import threading
import time
from collections import deque

FREE_FAILURES = 5
WINDOW_SECONDS = 300.0
MAX_CLIENTS = 10_000  # addresses remembered; the oldest are forgotten first


class LoginThrottle:
    def __init__(self, free: int = FREE_FAILURES, window: float = WINDOW_SECONDS) -> None:
        self.free = free
        self.window = window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        found = self._failures.get(client)
        if found is None:
            return deque()
        while found and now - found[0] > self.window:
            found.popleft()
        return found

    def retry_after(self, client: str) -> int | None:
        """Seconds the client must wait before its next attempt, or None to go ahead."""
        now = time.monotonic()
        with self._lock:
            recent = self._recent(client, now)
            if len(recent) < self.free:
                return None
            return max(1, int(self.window - (now - recent[0])) + 1)

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            if client not in self._failures and len(self._failures) >= MAX_CLIENTS:
                self._failures.pop(next(iter(self._failures)))
            recent = self._failures.setdefault(client, deque())
            recent.append(now)
            while len(recent) > self.free:
                recent.popleft()

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)
