"""Pictures of a WordPress export: found in a copy of `wp-content/uploads`, given a place in `content/media/`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

UPLOADS = "/wp-content/uploads/"
_SIZE = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")  # WordPress's resized copies: squat-300x200.jpg
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Uploads:
    """The uploads folder (or None) and the pictures the import has mapped so far."""

    folder: Path | None
    copies: dict[str, Path] = field(default_factory=dict)  # media path ("media/2019/03/x.jpg") -> source file

    def picture(self, url: str) -> str | None:
        """The site's address for a picture of the export: `media/…` when its file is in the uploads
        copy, the URL itself when it is on the web, None when it cannot be shown (unsafe or local)."""
        url = url.strip()
        parts = urlsplit(url)
        found = self._find(parts.path) if self.folder is not None else None
        if found is not None:
            relative, source = found
            target = "media/" + "/".join(_safe(part) for part in relative.parts)
            self.copies.setdefault(target, source)
            return target
        if parts.scheme in ("http", "https") and parts.netloc:
            return url
        return None

    def _find(self, path: str) -> tuple[PurePosixPath, Path] | None:
        at = path.find(UPLOADS)
        if at < 0:
            return None
        relative = PurePosixPath(unquote(path[at + len(UPLOADS):]))
        if not relative.parts or any(part in ("", ".", "..") for part in relative.parts) or relative.is_absolute():
            return None
        original = relative.with_name(_SIZE.sub("", relative.name))
        for candidate in (original, relative):
            source = self._inside(candidate)
            if source is not None:
                return candidate, source
        return None

    def _inside(self, relative: PurePosixPath) -> Path | None:
        """The file `relative` names in the uploads folder, if it is a file that does not lead outside it."""
        assert self.folder is not None
        root = self.folder.resolve()
        source = (root / Path(*relative.parts)).resolve()
        if not source.is_relative_to(root) or not source.is_file():
            return None
        return source


def _safe(part: str) -> str:
    stem, dot, suffix = part.rpartition(".") if "." in part.strip(".") else (part, "", "")
    stem = _UNSAFE.sub("-", stem).strip("-.") or "picture"
    suffix = _UNSAFE.sub("", suffix)
    return f"{stem}.{suffix}" if dot and suffix else stem
