"""The signals that stop the dev server: Ctrl-C (SIGINT), a terminal closing (SIGHUP) or a
process manager's stop (SIGTERM) stop it cleanly, with no search indexer left writing behind it."""

from __future__ import annotations

import signal
import threading
from typing import Any


def stop_on_signals() -> dict[int, Any]:
    """Make SIGINT, SIGTERM and SIGHUP raise KeyboardInterrupt; return the handlers they had. SIGINT
    too: Python leaves it ignored when it started ignored (a background job of a shell script),
    and then Ctrl-C, or `kill -INT`, would not stop the server."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # only the main thread may set handlers (tests run the server in threads of their own)

    def interrupt(number: int, frame: object) -> None:
        raise KeyboardInterrupt

    return {number: signal.signal(number, interrupt) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}


def restore_signals(handlers: dict[int, Any]) -> None:
    """Give the signals back the handlers `stop_on_signals` returned."""
    for number, handler in handlers.items():
        signal.signal(number, handler)
