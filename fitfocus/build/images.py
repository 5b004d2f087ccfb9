"""Pictures: each raster file of content/media/ read with Pillow, turned upright, stripped of its
metadata and resized into the variants `pages.pictures` plans, in a process pool; SVGs measured.

The variants live in a content-addressed folder (`<folder>/<hash>/`, the hash of the file's bytes
and the widths), so a picture is encoded once whatever it is named and however often it is built.
A memo of each file's size and modification time beside them spares hashing unchanged files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from fitfocus.build.spread import spread
from fitfocus.content.links import media_name
from fitfocus.content.model import Content, Image, Location, Picture
from fitfocus.pages.pictures import is_raster, variant_formats, variant_name, variant_widths
from fitfocus.problems import Problem

if TYPE_CHECKING:
    from PIL.Image import Image as PILPicture

_FORMAT = 2  # bumped when the variants come out differently for the same input (beyond `_SAVE`)
# A width a quarter of the picture's or less is resized in two steps, as Pillow's thumbnails are:
# first by a whole factor (averaging blocks of pixels), leaving Lanczos 2x or more. For a 4032 x
# 3024 photo the 480 variant takes 13 ms instead of 82 (the 960 one 37 instead of 90), and differs
# from one-step Lanczos by 46 dB PSNR, far less than the encoders' own loss.
_REDUCING_GAP = 2.0
_MEMO = "stamps.json"
# WebP's method 2 (libwebp's default is 4; Hugo's is 2 since 2026): a third of method 4's time
# per encode, for files 2-8 % larger at the same quality setting. JPEG, the fallback for browsers
# without WebP, is baseline with optimized Huffman tables: as small as progressive (within 0.5 %
# on the sample and benchmark pictures) in 40 % of its time.
_SAVE = {"webp": {"format": "WEBP", "quality": 80, "method": 2},
         "jpg": {"format": "JPEG", "quality": 82, "optimize": True},
         "png": {"format": "PNG", "compress_level": 6}}
_SVG_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$")
MAX_PIXELS = 100_000_000  # a larger picture is refused, not decoded


@dataclass(frozen=True)
class Pictures:
    """What the picture step found and made: each media file's sizes, the problems, and how many
    pictures it encoded (none on a warm build). `keep` puts new variants in the cache folder."""

    pictures: dict[str, Picture]
    problems: tuple[Problem, ...]
    encoded: int
    folder: Path  # the cache folder of variants
    entries: dict[str, Path]  # media name -> the folder holding its variants (new ones in a scratch folder)
    memo: dict[str, list]
    _kept: dict[str, Path] = field(default_factory=dict, compare=False, repr=False)  # what `keep` answered

    def keep(self) -> dict[str, Path]:
        """Move new variants into the cache folder (only once the build goes ahead, so a failed
        run leaves the cache as it was); the files to publish, site path -> file."""
        if self._kept:
            return dict(self._kept)  # kept already (the preview builds on from the same pictures)
        files: dict[str, Path] = {}
        if not self.entries and not self.memo and not self.folder.exists():
            return files  # a site without pictures leaves no folder for them
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, where in self.entries.items():
            final = self.folder / where.name
            if where != final and not final.exists():
                shutil.move(str(where), str(final))
            picture = self.pictures[name]
            for extension in picture.formats:
                for width in picture.widths:
                    files[variant_name(name, width, extension)] = final / f"{width}.{extension}"
            files[name] = final / f"full.{picture.formats[-1]}"
        if self.memo != _read_memo(self.folder):
            _write_memo(self.folder, self.memo)
        _prune(self.folder, {where.name for where in self.entries.values()})
        self._kept.update(files)
        return files


@dataclass(frozen=True)
class _Job:
    name: str
    source: Path
    folder: Path
    widths: tuple[int, ...]
    cost: int


def scratch_folder() -> Path:
    """A name for a new folder in the temporary folder, where a build's pictures are encoded. The
    picture step makes it only when it encodes one, so a build that encodes none, or that is
    killed before, leaves no folder behind (the caller removes it at the end)."""
    return Path(tempfile.gettempdir()) / f"fitfocus-pictures-{secrets.token_hex(8)}"


def make_pictures(root: Path, content: Content, widths: tuple[int, ...], folder: Path, scratch: Path,
                  workers: int = 1) -> Pictures:
    """Measure every media picture and make the variants of raster ones not in `folder` (the
    cache, read only) into `scratch` (a new folder, made when there are any); a file that cannot
    be read is a problem at every line that names it."""
    memo = _read_memo(folder)
    settings = json.dumps([_FORMAT, list(widths), _SAVE])  # another encoding makes other variants
    pictures: dict[str, Picture] = {}
    entries: dict[str, Path] = {}
    failed: dict[str, str] = {}
    jobs: list[_Job] = []
    for name in sorted(content.media):
        source = root / "content" / name
        if name.lower().endswith(".svg"):
            pictures[name] = _svg(name, source)
            continue
        if not is_raster(name):
            continue
        try:
            stat = source.stat()
            stamp = [stat.st_mtime_ns, stat.st_size, settings]
            known = memo.get(name)
            key = known[3] if known and known[:3] == stamp else _hash(source, settings)
        except OSError as error:
            failed[name] = f"cannot read picture `{name}` ({error.strerror})"
            continue
        memo[name] = [*stamp, key]
        info = _read_info(folder / key)
        if info is None:
            entries[name] = scratch / key
            jobs.append(_Job(name, source, scratch / key, widths, stat.st_size))
        else:
            entries[name] = folder / key
            pictures[name] = _picture(name, info)
    if jobs:
        os.mkdir(scratch, 0o700)  # new, and the build's own: one that is there already is an error
        spread(scratch)  # a folder for each picture
    for name, result in _encode(jobs, workers):
        if isinstance(result, str):
            failed[name] = result
            memo.pop(name, None)
            entries.pop(name, None)
        else:
            pictures[name] = _picture(name, result)
    kept = {name: value for name, value in memo.items() if name in content.media}
    # In the media files' order, as a build that encodes none has them: the pictures are part of
    # what every page is made from, and the next build must find them the same.
    pictures = dict(sorted(pictures.items()))
    return Pictures(pictures, tuple(_problems(failed, content)), len(jobs), folder, entries, kept)


def _encode(jobs: list[_Job], workers: int) -> list[tuple[str, dict | str]]:
    """Encode `jobs`, the largest first so that processes finish together."""
    jobs = sorted(jobs, key=lambda job: -job.cost)
    if workers <= 1 or len(jobs) < 2:
        return [(job.name, _make_variants(job)) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor  # only when pictures are encoded: slow to import

    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(zip((job.name for job in jobs), pool.map(_make_variants, jobs)))


def _make_variants(job: _Job) -> dict | str:
    """Decode one picture, turn it upright, drop its metadata and write its variants; the
    picture's sizes, or why it could not be read."""
    # Pillow is imported only where a picture is encoded: a warm build never loads it.
    from PIL import Image as PILImage
    from PIL import ImageOps, UnidentifiedImageError
    PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with PILImage.open(job.source) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as error:
        return _unreadable(job.name, error)
    image = _plain(upright)
    width, height = image.size
    widths = variant_widths(width, job.widths)
    formats = variant_formats(job.name)
    staging = job.folder.with_name(job.folder.name + f".tmp{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)  # then renamed whole: a folder with info.json is complete
    for target in widths:  # each width resized once, then saved in every format
        size = (target, max(1, round(height * target / width)))
        resized = image if target == width else image.resize(size, PILImage.Resampling.LANCZOS,
                                                             reducing_gap=_REDUCING_GAP)
        for extension in formats:
            _save(resized, staging / f"{target}.{extension}", extension)
    full = staging / f"full.{formats[-1]}"
    if width in widths:  # a picture narrower than the widest width is one of its variants already
        _same_file(staging / f"{width}.{formats[-1]}", full)
    else:
        _save(image, full, formats[-1])
    info = {"width": width, "height": height, "widths": list(widths), "formats": list(formats)}
    (staging / "info.json").write_text(json.dumps(info))
    try:
        staging.rename(job.folder)
    except OSError:  # another build made it first: the same bytes
        shutil.rmtree(staging, ignore_errors=True)
    return info


def _plain(image: PILPicture) -> PILPicture:
    """`image` in a mode every format takes, with none of the source's metadata."""
    if image.mode not in ("RGB", "RGBA", "L"):
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if transparent else "RGB")
    else:
        image = image.copy()
    image.info = {}
    return image


def _same_file(source: Path, path: Path) -> None:
    """`path` as a second name of `source`, the same bytes saved once (a copy where links fail)."""
    try:
        os.link(source, path)
    except OSError:
        shutil.copyfile(source, path)


def _save(image: PILPicture, path: Path, extension: str) -> None:
    from PIL import Image as PILImage
    if extension == "jpg" and image.mode == "RGBA":
        flat = PILImage.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    image.save(path, **_SAVE[extension])


def _unreadable(name: str, error: BaseException) -> str:
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError
    if isinstance(error, PILImage.DecompressionBombError):
        return f"picture `{name}` is too large to read safely (over 100 million pixels)"
    if isinstance(error, UnidentifiedImageError):
        return f"picture `{name}` cannot be read: it is not a JPEG, PNG or WebP file"
    return f"picture `{name}` is corrupt or cut short"


def _picture(name: str, info: dict) -> Picture:
    return Picture(name, info["width"], info["height"], tuple(info["widths"]), tuple(info["formats"]))


def _svg(name: str, source: Path) -> Picture:
    """An SVG's size when its root element states `width` and `height` (in pixels)."""
    try:
        head = source.read_bytes()[:4096].decode("utf-8", "replace")
    except OSError:
        return Picture(name, None, None)
    match = re.search(r"<svg\b[^>]*>", head)
    if match is None:
        return Picture(name, None, None)
    attributes = dict(re.findall(r'\b(width|height)\s*=\s*["\']([^"\']*)["\']', match.group(0)))
    sizes = [_SVG_SIZE.match(attributes.get(key, "")) for key in ("width", "height")]
    if not all(sizes):
        return Picture(name, None, None)
    width, height = (round(float(size.group(1))) for size in sizes)  # type: ignore[union-attr]
    return Picture(name, width, height) if width and height else Picture(name, None, None)


def _problems(failed: dict[str, str], content: Content) -> list[Problem]:
    """A problem at each image that names a failed file, or at the file itself when none does."""
    if not failed:
        return []
    named: dict[str, list[Location]] = {}
    for image in _images(content):
        named.setdefault(media_name(image.src), []).append(image.at)
    problems = []
    for name, message in sorted(failed.items()):
        places = named.get(name) or [Location(f"content/{name}", 1, 1)]
        hint = "open the file in an image editor and save it again as JPEG, PNG or WebP"
        problems.extend(at.problem(message, hint) for at in places)
    return problems


def _images(content: Content) -> list[Image]:
    images: list[Image] = []
    for exercise in content.exercises:
        images.extend(exercise.images)
        images.extend(exercise.body.images)
    for post in content.posts:
        images.extend([post.image] if post.image else [])
        images.extend(post.body.images)
    for page in content.pages:
        images.extend(page.body.images)
    return images


def _hash(source: Path, settings: str) -> str:
    hasher = hashlib.sha256(settings.encode())
    with source.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()[:32]


# A folder of variants no picture uses is removed once it is this old (seconds): a build running
# beside this one (the preview, say) may be publishing from one it has just made.
PRUNE_AGE = 3600


def _prune(folder: Path, used: set[str]) -> None:
    """Remove the folders of variants in `folder` that no picture of this build uses (those of
    replaced or deleted pictures, or made with other widths or settings)."""
    cutoff = time.time() - PRUNE_AGE
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            old = entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff
        except OSError:
            continue
        if old and entry.name not in used:
            shutil.rmtree(entry.path, ignore_errors=True)


def _read_info(where: Path) -> dict | None:
    try:
        return json.loads((where / "info.json").read_text())
    except (OSError, ValueError):
        return None


def _read_memo(folder: Path) -> dict[str, list]:
    try:
        memo = json.loads((folder / _MEMO).read_text())
        return memo if isinstance(memo, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_memo(folder: Path, memo: dict[str, list]) -> None:
    temporary = folder / f"{_MEMO}.{os.getpid()}"
    temporary.write_text(json.dumps(memo, sort_keys=True))
    temporary.replace(folder / _MEMO)
