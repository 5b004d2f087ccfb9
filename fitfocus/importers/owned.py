"""What an importer may write: new files, and files it wrote itself that nobody changed since.

A file an importer writes carries a checksum of its own text (with the checksum left out), so a
later import can tell "as the importer left it" (safe to update) from "edited by a person" or
"written by a person" (never touched).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

_CHECKSUM = re.compile(r"checksum: ([0-9a-f]{64})")
_PLACEHOLDER = "checksum: " + "0" * 64

NEW, UPDATED, UNCHANGED, KEPT = "new", "updated", "unchanged", "kept"


@dataclass(frozen=True)
class Planned:
    """One file an import would write, and what would happen to it."""

    path: Path
    text: str
    action: str  # NEW, UPDATED, UNCHANGED, or KEPT (a person's file, left alone)
    reason: str = ""  # why a file is KEPT


def with_checksum(text: str) -> str:
    """`text` (holding the placeholder `checksum: 000…`) with its own checksum filled in."""
    assert _PLACEHOLDER in text
    return text.replace(_PLACEHOLDER, "checksum: " + _digest(text), 1)


def checksum_placeholder() -> str:
    """What an importer writes where the checksum goes (`with_checksum` fills it in)."""
    return _PLACEHOLDER


def plan_file(path: Path, text: str) -> Planned:
    """What writing `text` (made by `with_checksum`) to `path` would do."""
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Planned(path, text, NEW)
    except (OSError, UnicodeDecodeError) as error:
        return Planned(path, text, KEPT, f"cannot be read ({getattr(error, 'strerror', None) or error})")
    if current == text:
        return Planned(path, text, UNCHANGED)
    match = _CHECKSUM.search(current)
    if match is None:
        return Planned(path, text, KEPT, "written by a person (no import checksum)")
    if _digest(current.replace(match.group(0), _PLACEHOLDER, 1)) != match.group(1):
        return Planned(path, text, KEPT, "edited since it was imported")
    return Planned(path, text, UPDATED)


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (a killed import leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
