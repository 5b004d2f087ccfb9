"""Time builds of the benchmark blog with pictures: every post gets a generated cover.

    python bench/pictures_bench.py                   # 1000 posts, 1000 pictures of 1600-2400 px
    python bench/pictures_bench.py --pictures 20     # a quick check

Builds the blog without pictures (warm, the baseline), then with them: cold, warm with nothing
changed, and with one picture changed. Each figure is the median of --runs whole-process runs;
"encoded" is how many pictures a run made variants of (new folders in the picture cache).
Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from corpus import REPO, write_corpus
from run import median_of, timed


def draw_picture(path: Path, rng: random.Random) -> None:
    """A JPEG 1600-2400 px wide of soft bands and discs: photo-sized work for the encoder."""
    width = rng.randint(1600, 2400)
    height = width * rng.choice((2, 3)) // 3
    image = Image.new("RGB", (width, height), tuple(rng.randint(0, 255) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(24):
        x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(40, width // 4)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randint(0, 255) for _ in range(3)))
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    Image.blend(image, noise, 0.15).save(path, "JPEG", quality=88)


def add_pictures(blog: Path, count: int, seed: int = 11) -> list[Path]:
    """Give the first `count` posts a cover drawn into content/media/; the pictures' paths."""
    rng = random.Random(seed)
    media = blog / "content" / "media"
    media.mkdir(parents=True, exist_ok=True)
    pictures = []
    for number, post in enumerate(sorted((blog / "content" / "posts").glob("*.md"))[:count]):
        picture = media / f"cover-{number:05d}.jpg"
        draw_picture(picture, rng)
        text = post.read_text(encoding="utf-8")
        post.write_text(text.replace("\n---\n", f"\nimage: media/{picture.name}\nimage_alt: Cover {number}\n---\n", 1),
                        encoding="utf-8")
        pictures.append(picture)
    return pictures


def encoded_since(blog: Path, before: set[str]) -> int:
    """How many picture cache entries appeared since `before` was listed."""
    return len(_entries(blog) - before)


def _entries(blog: Path) -> set[str]:
    folder = blog / ".cache" / "fitfocus" / "pictures"
    return {path.name for path in folder.iterdir() if path.is_dir()} if folder.is_dir() else set()


def main() -> None:
    """Write the blog, build it with and without pictures, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--pictures", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    build = [sys.executable, str(REPO / "build.py"), "build"]
    rows: list[tuple[str, float, float, int | None]] = []
    with tempfile.TemporaryDirectory(prefix="fitfocus-pictures-bench-") as folder:
        blog = Path(folder) / "blog"
        write_corpus(blog, args.posts, 60)
        timed(build, blog)
        wall, peak, _cpu = median_of(args.runs, lambda _: None, build, blog)
        rows.append(("warm, no pictures (baseline)", wall, peak, None))
        pictures = add_pictures(blog, min(args.pictures, args.posts))

        def cold(_: int) -> None:
            shutil.rmtree(blog / ".cache", ignore_errors=True)
            shutil.rmtree(blog / "site", ignore_errors=True)

        wall, peak, _cpu = median_of(args.runs, cold, build, blog)
        rows.append(("cold, with pictures", wall, peak, len(pictures)))
        timed(build, blog)  # leave a warm cache behind the cold runs, as bench/run.py does
        before = _entries(blog)
        wall, peak, _cpu = median_of(args.runs, lambda _: None, build, blog)
        rows.append(("warm, nothing changed", wall, peak, encoded_since(blog, before)))
        rng = random.Random(5)

        def change(index: int) -> None:
            draw_picture(pictures[index * 7 % len(pictures)], rng)

        before = _entries(blog)
        wall, peak, _cpu = median_of(args.runs, change, build, blog)
        rows.append(("warm, one picture changed", wall, peak, encoded_since(blog, before) // args.runs))
    print(f"{args.posts} posts, {min(args.pictures, args.posts)} pictures of 1600-2400 px; {os.cpu_count()} cores; "
          f"median of {args.runs} runs")
    print(f"{'':32} {'seconds':>8} {'peak MB':>8} {'encoded':>8}")
    for name, wall, peak, encoded in rows:
        print(f"{name:32} {wall:8.2f} {peak:8.0f} {'' if encoded is None else encoded:>8}")


if __name__ == "__main__":
    main()
