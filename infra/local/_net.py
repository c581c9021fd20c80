"""Small socket helpers shared by the local harness (free ports, waiting for a listener)."""

from __future__ import annotations

import socket
import time


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that was free a moment ago.

    The kernel picks it (bind to port 0); there is an unavoidable race until the caller's
    server binds it, so callers retry with a fresh port when their server fails to start.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def accepts_tcp(host: str, port: int, timeout: float = 0.2) -> bool:
    """True if something accepts a TCP connection on host:port right now."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_tcp(host: str, port: int, deadline: float) -> bool:
    """Poll until host:port accepts connections or time.monotonic() passes deadline."""
    while time.monotonic() < deadline:
        if accepts_tcp(host, port):
            return True
        time.sleep(0.02)
    return False
