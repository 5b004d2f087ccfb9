"""Time the exercise library at scale: import a free-exercise-db-shaped data set of N records into
the sample blog, build it cold and warm, weigh the library page, and time the search index.

    python bench/library_bench.py                 # N=873, the size of free-exercise-db
    python bench/library_bench.py --records 1000 --images

The data set is generated here (made-up names, the data set's field names and values), so the
figures do not depend on having the real one. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
TODAY_EPOCH = "1796083200"

LEVELS = ("beginner", "intermediate", "expert")
EQUIPMENT = (None, "body only", "barbell", "dumbbell", "cable", "machine", "kettlebells", "bands", "medicine ball",
             "exercise ball", "foam roll", "e-z curl bar", "other")
MUSCLES = ("abdominals", "abductors", "adductors", "biceps", "calves", "chest", "forearms", "glutes", "hamstrings",
           "lats", "lower back", "middle back", "neck", "quadriceps", "shoulders", "traps", "triceps")
CATEGORIES = ("strength", "stretching", "plyometrics", "strongman", "powerlifting", "cardio", "olympic weightlifting")
WORDS = ("seated standing incline decline alternating single reverse wide close kneeling split hold press "
         "raise curl row pull push squat lunge hinge bridge plank twist slam carry march reach").split()


def write_dataset(folder: Path, records: int, images: bool, seed: int = 11) -> None:
    """A data set in free-exercise-db's layout: dist/exercises.json and exercises/<id>/N.jpg."""
    rng = random.Random(seed)
    data = []
    for number in range(records):
        name = " ".join(rng.choice(WORDS).capitalize() for _ in range(3)) + f" {number}"
        identifier = name.replace(" ", "_")
        pictures = [f"{identifier}/{n}.jpg" for n in range(2)] if images else []
        data.append({
            "id": identifier, "name": name, "force": rng.choice(("push", "pull", "static", None)),
            "level": rng.choice(LEVELS), "mechanic": rng.choice(("compound", "isolation", None)),
            "equipment": rng.choice(EQUIPMENT), "primaryMuscles": rng.sample(MUSCLES, rng.randint(1, 2)),
            "secondaryMuscles": rng.sample(MUSCLES, rng.randint(0, 3)),
            "instructions": [" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + "." for _ in range(4)],
            "category": rng.choice(CATEGORIES), "images": pictures})
        for picture in pictures:
            target = folder / "exercises" / picture
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(bytes(rng.getrandbits(8) for _ in range(2048)))
    (folder / "dist").mkdir(parents=True, exist_ok=True)
    (folder / "dist" / "exercises.json").write_text(json.dumps(data, indent=2))


def timed(command: list[str], cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=873)
    parser.add_argument("--images", action="store_true", help="give each record two pictures and import them")
    args = parser.parse_args()
    build = [sys.executable, str(REPO / "build.py"), "build"]
    with tempfile.TemporaryDirectory(prefix="fitfocus-library-") as work:
        blog, dataset = Path(work) / "blog", Path(work) / "free-exercise-db"
        for name in ("content", "exercises", "templates"):
            shutil.copytree(REPO / name, blog / name)
        shutil.copyfile(REPO / "pyproject.toml", blog / "pyproject.toml")
        write_dataset(dataset, args.records, args.images)
        rows = [("import", timed([sys.executable, str(REPO / "build.py"), "import", "free-exercise-db",
                                  str(dataset), *(["--images"] if args.images else [])], blog)),
                ("import again (nothing to do)", timed([sys.executable, str(REPO / "build.py"), "import",
                                                        "free-exercise-db", str(dataset)], blog)),
                ("cold build", timed(build, blog)),
                ("warm build, nothing changed", timed(build, blog))]
        from fitfocus.build.search import index_site
        started = time.perf_counter()
        index_site(blog / "site")
        rows.append(("search index alone (Pagefind)", time.perf_counter() - started))
        exercises = len(list((blog / "exercises").glob("*.md")))
        size = (blog / "site" / "exercises" / "index.html").stat().st_size
    print(f"{exercises} exercises ({args.records} imported{', with pictures' if args.images else ''}); "
          f"{os.cpu_count()} cores")
    for label, seconds in rows:
        print(f"{label:<34} {seconds:7.2f} s")
    print(f"{'library page /exercises/':<34} {size / 1024:7.0f} KB")


if __name__ == "__main__":
    main()
