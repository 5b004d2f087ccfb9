"""Write a deterministic benchmark blog: N posts of about 1000 words with 1-3 routines, M exercises.

    python bench/corpus.py OUT_DIR [--posts 1000] [--exercises 60]
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MUSCLES = ("glutes", "hamstrings", "quadriceps", "calves", "core", "lats", "shoulders", "adductors")
EQUIPMENT = ("dumbbell", "kettlebell", "resistance-band", "bench", "mat")
WORDS = ("tempo strength runner cadence hinge brace glute stride recovery easy steady hill knee hip "
         "ankle single leg balance control load volume rest week block taper race plan form cue").split()
REPS = ("3 x 12", "3 x 8-10", "2 x 45s", "3 x 10 per side", "2 x to fatigue", "4 x 6", "3 x 30-45s")


def write_corpus(out: Path, posts: int, exercises: int, seed: int = 7) -> None:
    """Write pyproject.toml, templates/, exercises/ and content/posts/ into `out`."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "exercises").mkdir(parents=True)
    (out / "content" / "posts").mkdir(parents=True)
    shutil.copytree(REPO / "templates", out / "templates")
    (out / "pyproject.toml").write_text('[tool.fitfocus]\ntitle = "Bench"\nseries = ["Fit Focus"]\n')
    slugs = [f"move-{n:03d}" for n in range(exercises)]
    for number, slug in enumerate(slugs):
        muscles = ", ".join(rng.sample(MUSCLES, 2))
        equipment = ", ".join(rng.sample(EQUIPMENT, rng.randint(0, 2)))
        (out / "exercises" / f"{slug}.md").write_text(
            f"---\nname: Move {number}\naliases: [move number {number}]\nmuscles: [{muscles}]\n"
            f"equipment: [{equipment}]\nlevel: beginner\ncues:\n  - Keep it smooth and controlled.\n---\n"
            + _paragraphs(rng, 2, 60))
    for number in range(posts):
        day = 1 + number % 28
        month = 1 + (number // 28) % 12
        year = 2000 + number // (28 * 12)
        body = []
        for part in range(rng.randint(1, 3)):
            body.append(_paragraphs(rng, 3, 90))
            body.append(f"Start with [the first move](exercise:{rng.choice(slugs)}) and keep it easy.\n")
            items = "\n".join(f"  - {slug}: {rng.choice(REPS)}" for slug in rng.sample(slugs, rng.randint(4, 8)))
            body.append(f"```routine\ntitle: Block {part + 1}\nrounds: 2\nrest: 60s\nitems:\n{items}\n```\n")
        body.append(_paragraphs(rng, 6, 90))
        (out / "content" / "posts" / f"{year}-{month:02d}-{day:02d}-post-{number:05d}.md").write_text(
            f"---\ntitle: Workout {number}\nsummary: Session {number}.\nseries: Fit Focus\n"
            f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n---\n" + "\n".join(body))


def _paragraphs(rng: random.Random, count: int, words: int) -> str:
    return "\n".join(" ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + ".\n" for _ in range(count))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--exercises", type=int, default=60)
    args = parser.parse_args()
    write_corpus(args.out, args.posts, args.exercises)
    print(f"wrote {args.posts} posts and {args.exercises} exercises to {args.out}")
