"""The signals that stop the dev server: a terminal closing (SIGHUP) or a process manager's stop
(SIGTERM) stop it as Ctrl-C does, cleanly, with no search indexer left writing behind it."""

from __future__ import annotations

import signal
import threading
from typing import Any


def stop_on_signals() -> dict[int, Any]:
    """Make SIGTERM and SIGHUP raise KeyboardInterrupt, as SIGINT does; return the handlers they had."""
    if threading.current_thread() is not threading.main_thread():
        return {}  # only the main thread may set handlers (tests run the server in threads of their own)

    def interrupt(number: int, frame: object) -> None:
        raise KeyboardInterrupt

    return {number: signal.signal(number, interrupt) for number in (signal.SIGTERM, signal.SIGHUP)}


def restore_signals(handlers: dict[int, Any]) -> None:
    """Give the signals back the handlers `stop_on_signals` returned."""
    for number, handler in handlers.items():
        signal.signal(number, handler)
