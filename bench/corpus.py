"""Write a deterministic benchmark blog of one shape: posts with routines, exercises, prose.

    python bench/corpus.py OUT_DIR [--shape one-routine] [--posts 1000] [--exercises 60]

The prose is made to look like what people write, not like what the engine expects: paragraphs
of very different lengths, lists, headings, links, emphasis, footnotes, tables, quotes; the
`quotes` shape fills it with apostrophes, quotation marks, dashes and ellipses.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
MUSCLES = ("glutes", "hamstrings", "quadriceps", "calves", "core", "lats", "shoulders", "adductors")
EQUIPMENT = ("dumbbell", "kettlebell", "resistance-band", "bench", "mat")
REPS = ("3 x 12", "3 x 8-10", "2 x 45s", "3 x 10 per side", "2 x to fatigue", "4 x 6", "3 x 30-45s")
WORDS = """time people way year day thing man world life hand part child eye woman place work week case
point number group problem fact morning evening road hill river coffee breakfast shoe window friend
coach neighbour kitchen garden winter summer rain wind light knee back breath heart habit plan
session mile minute hour stair bike city park street bridge track field doctor physio book story
simple quiet heavy slow quick early late honest strange small large tired happy careful steady warm
cold bright long short gentle rough usual rare first last every other whole half real easy hard
walk run carry lift hold push pull climb stretch breathe rest sleep wake eat drink wait start stop
finish try learn notice forget remember change keep lose find feel think believe expect enjoy miss
and but so because while although when before after until since then still just almost never often
sometimes again really quite rather maybe probably honestly""".split()
CONTRACTIONS = ("I'm", "it's", "don't", "can't", "won't", "you're", "we'd", "they've", "isn't", "that's",
                "coach's", "knees'", "'90s", "o'clock", "rock 'n' roll", "y'all")
SAYINGS = ('"Keep going," she said.', "'Slowly,' he said, 'slowly.'", '"Why?" I asked -- and waited...',
           "He called it \"the 'easy' day\".", "It's not -- really -- that hard...", "Wait... what?",
           "\"'Quoted' words\", she wrote.", "Mile five---the worst one.", "'Twas a long day.",
           '"Don\'t," I said. "Just don\'t."', "The '80s tapes... still there.")


@dataclass(frozen=True)
class Shape:
    """What one benchmark blog looks like."""

    name: str
    help: str
    posts: int = 1000
    exercises: int = 60
    routines: tuple[int, int] = (1, 3)  # routines per post, at least and at most
    words: int = 1000  # about this many words of prose per post
    quotes: bool = False  # prose full of apostrophes, quotes, dashes and ellipses
    # Called with (blog folder, shape, random) after the blog is written: where a shape adds files
    # the others do not have (pictures, plans).
    extra: Callable[[Path, "Shape", random.Random], None] | None = None


SHAPES = {shape.name: shape for shape in (
    Shape("mixed", "1 to 3 routines a post, 1,000 words (the corpus of earlier figures)"),
    Shape("one-routine", "one routine a post, 750 words: post, card, post, card in the plan", routines=(1, 1),
          words=750),
    Shape("three-routines", "three routines a post", routines=(3, 3)),
    Shape("quotes", "prose full of apostrophes, quotes, dashes and ellipses, one routine a post",
          routines=(1, 1), words=750, quotes=True),
    Shape("long", "long posts of 3,000 words", words=3000),
    Shape("large", "5,000 posts", posts=5000),
    Shape("library", "1,000 exercises", exercises=1000),
    Shape("pictures", "1,000 exercises, each with a start and an end picture of 600-900 px", exercises=1000,
          extra=lambda out, shape, rng: _pictures(out, rng)),
    Shape("plans", "one routine a post, and 20 training plans of 8 to 16 weeks using the posts", routines=(1, 1),
          words=750, extra=lambda out, shape, rng: _plans(out, shape, rng)),
)}


def write_corpus(out: Path, posts: int, exercises: int, seed: int = 7, shape: Shape | None = None) -> None:
    """Write pyproject.toml, templates/, exercises/ and content/posts/ into `out`."""
    shape = replace(shape or SHAPES["mixed"], posts=posts, exercises=exercises)
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "exercises").mkdir(parents=True)
    (out / "content" / "posts").mkdir(parents=True)
    shutil.copytree(REPO / "templates", out / "templates")
    (out / "pyproject.toml").write_text('[tool.fitfocus]\ntitle = "Bench"\nseries = ["Fit Focus", "Long Run"]\n')
    width = max(3, len(str(shape.exercises - 1)))
    slugs = [f"move-{n:0{width}d}" for n in range(shape.exercises)]
    for number, slug in enumerate(slugs):
        muscles = ", ".join(rng.sample(MUSCLES, 2))
        equipment = ", ".join(rng.sample(EQUIPMENT, rng.randint(0, 2)))
        (out / "exercises" / f"{slug}.md").write_text(
            f"---\nname: Move {number}\naliases: [move number {number}]\nmuscles: [{muscles}]\n"
            f"equipment: [{equipment}]\nlevel: beginner\ncues:\n  - Keep it smooth and controlled.\n---\n"
            + Prose(rng, shape.quotes, slugs).paragraph() + "\n")
    for number in range(shape.posts):
        day = 1 + number % 28
        month = 1 + (number // 28) % 12
        year = 2000 + number // (28 * 12)
        (out / "content" / "posts" / f"{year}-{month:02d}-{day:02d}-post-{number:05d}.md").write_text(
            _post(rng, shape, slugs, number), encoding="utf-8")
    if shape.extra is not None:
        shape.extra(out, shape, rng)


def _pictures(out: Path, rng: random.Random) -> None:
    """A start and an end picture for every exercise, in content/media/, named in its front matter."""
    from PIL import Image, ImageDraw  # only this shape needs Pillow

    media = out / "content" / "media"
    media.mkdir(parents=True, exist_ok=True)
    for page in sorted((out / "exercises").glob("*.md")):
        lines = []
        for end in ("start", "end"):
            width = rng.randint(600, 900)
            height = width * 2 // 3
            image = Image.new("RGB", (width, height), tuple(rng.randint(0, 255) for _ in range(3)))
            draw = ImageDraw.Draw(image)
            for _ in range(8):
                x, y, r = rng.randint(0, width), rng.randint(0, height), rng.randint(20, width // 4)
                draw.ellipse([x - r, y - r, x + r, y + r], fill=tuple(rng.randint(0, 255) for _ in range(3)))
            image.save(media / f"{page.stem}-{end}.jpg", "JPEG", quality=85)
            lines.append(f"  - src: media/{page.stem}-{end}.jpg\n    alt: The {end} position of {page.stem}\n")
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("\n---\n", "\nimages:\n" + "".join(lines) + "---\n", 1), encoding="utf-8")


def _plans(out: Path, shape: Shape, rng: random.Random) -> None:
    """Twenty plans of 8 to 16 weeks: two strength sessions a week from the posts, and runs."""
    posts = sorted(path.stem[11:] for path in (out / "content" / "posts").glob("*.md"))
    plans = out / "content" / "plans"
    plans.mkdir(parents=True)
    for number in range(20):
        weeks = []
        for week in range(rng.randint(8, 16)):
            first, second = rng.sample(posts, 2)
            lighter = "    deload: true\n" if week % 4 == 3 else ""
            weeks.append(f"  - title: Week {week + 1}\n{lighter}    days:\n      mon: rest\n      tue: run easy {rng.randint(30, 50)}min\n"
                         f"      wed: strength {first}\n      thu: run tempo {rng.randint(20, 30)}min\n"
                         f"      fri: strength {second}\n      sat: run easy 30min\n      sun: run long {rng.randint(10, 24)}km\n")
        (plans / f"plan-{number:02d}.md").write_text(
            f"---\ntitle: Plan {number}\nsummary: {len(weeks)} weeks of runs and strength.\n---\n"
            + Prose(rng, shape.quotes, [page.stem for page in sorted((out / "exercises").glob("*.md"))]).paragraph() + "\n\n```plan\nweeks:\n" + "".join(weeks) + "```\n",
            encoding="utf-8")


def _post(rng: random.Random, shape: Shape, slugs: list[str], number: int) -> str:
    prose = Prose(rng, shape.quotes, slugs)
    routines = rng.randint(*shape.routines)
    # The routines go at places of their own among the prose, not at fixed ones.
    places = sorted(rng.sample(range(1, 12), routines))
    blocks: list[str] = []
    words = 0
    while words < shape.words or places:
        if places and len(blocks) >= places[0]:
            places.pop(0)
            items = "\n".join(f"  - {slug}: {rng.choice(REPS)}" for slug in rng.sample(slugs, rng.randint(3, 8)))
            blocks.append(f"```routine\ntitle: Block {len(blocks)}\nrounds: {rng.randint(1, 4)}\nrest: 60s\n"
                          f"items:\n{items}\n```")
            continue
        block = prose.block()
        words += len(block.split())
        blocks.append(block)
    title = f"{rng.choice(WORDS).capitalize()} {rng.choice(CONTRACTIONS) if shape.quotes else rng.choice(WORDS)} {number}"
    series = f"series: {rng.choice(('Fit Focus', 'Long Run'))}\n" if rng.random() < 0.6 else ""
    return (f"---\ntitle: {title}\nsummary: Session {number}, {rng.choice(WORDS)} and {rng.choice(WORDS)}.\n"
            f"{series}tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n---\n"
            + "\n\n".join(blocks) + "\n" + prose.footnotes())


class Prose:
    """Blocks of Markdown prose for one document (its footnotes are numbered in it)."""

    def __init__(self, rng: random.Random, quotes: bool, slugs: list[str]) -> None:
        self.rng = rng
        self.quotes = quotes
        self.slugs = slugs
        self.notes: list[str] = []

    def words(self, count: int) -> str:
        """`count` words, with emphasis, links, code and (in the quotes shape) quotes among them."""
        rng, out = self.rng, []
        for _ in range(count):
            roll = rng.random()
            if self.quotes and roll < 0.12:
                out.append(rng.choice(CONTRACTIONS))
            elif self.quotes and roll < 0.16:
                out.append(rng.choice(SAYINGS))
            elif roll < 0.18:
                out.append(f"*{rng.choice(WORDS)}*" if rng.random() < 0.6 else f"**{rng.choice(WORDS)} {rng.choice(WORDS)}**")
            elif roll < 0.185:
                out.append(f"[{rng.choice(WORDS)}](exercise:{rng.choice(self.slugs)})")
            elif roll < 0.19:
                out.append(f"[{rng.choice(WORDS)} {rng.choice(WORDS)}](https://example.org/{rng.choice(WORDS)})")
            elif roll < 0.193:
                out.append(f"`{rng.choice(WORDS)}`")
            elif roll < 0.196:
                self.notes.append(self.words(rng.randint(4, 20)))
                out.append(f"{rng.choice(WORDS)}[^{len(self.notes)}]")
            else:
                out.append(rng.choice(WORDS))
        return " ".join(out)

    def sentence(self) -> str:
        """One sentence of 3 to 30 words."""
        text = self.words(self.rng.randint(3, 30))
        return text[:1].upper() + text[1:] + self.rng.choice((".", ".", ".", "?", "!", "..." if self.quotes else "."))

    def paragraph(self) -> str:
        """One to twelve sentences: a line or a wall of text."""
        return " ".join(self.sentence() for _ in range(min(12, int(self.rng.expovariate(0.35)) + 1)))

    def block(self) -> str:
        """A paragraph, mostly; now and then a heading, a list, a table or a quotation."""
        rng, roll = self.rng, self.rng.random()
        if roll < 0.08:
            return f"{rng.choice(('##', '###'))} {self.words(rng.randint(2, 7)).capitalize()}"
        if roll < 0.15:
            marker = rng.choice(("-", "*", "1."))
            return "\n".join(f"{marker} {self.words(rng.randint(2, 16))}" for _ in range(rng.randint(2, 7)))
        if roll < 0.18:
            rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 20)} x {rng.randint(5, 15)} | {self.words(3)} |"
                             for _ in range(rng.randint(2, 6)))
            return f"| Day | Sets | Notes |\n|---|---|---|\n{rows}"
        if roll < 0.21:
            return "> " + self.paragraph()
        return self.paragraph()

    def footnotes(self) -> str:
        """The footnotes the blocks called for."""
        return "".join(f"\n[^{number}]: {text}\n" for number, text in enumerate(self.notes, 1))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="mixed")
    parser.add_argument("--posts", type=int)
    parser.add_argument("--exercises", type=int)
    args = parser.parse_args()
    chosen = SHAPES[args.shape]
    posts, exercises = args.posts or chosen.posts, args.exercises or chosen.exercises
    write_corpus(args.out, posts, exercises, shape=chosen)
    print(f"wrote {posts} posts and {exercises} exercises ({chosen.name}) to {args.out}")
