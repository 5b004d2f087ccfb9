"""`new post`, `new exercise` and `new plan`: filled-in skeletons that pass `check` as written."""

from __future__ import annotations

import datetime
from pathlib import Path

from fitfocus.config import load_config
from fitfocus.content.library import slugify
from fitfocus.problems import BuildFailed, Problem, SourceFile, as_warning

# The sentences `new` writes for the author to replace; left unchanged, each is a warning.
POST_SUMMARY = "One sentence that tells a reader what this workout is for."
POST_INTRO = "Why this session, who it is for, and how to make it easier or harder."
POST_LINK_TIP = "Link a move by its slug: `[squats](exercise:squat)`. Remove `draft: true` to publish."
EXERCISE_CUE = "The one form point that matters most (it is printed on workout cards)."
EXERCISE_SAFETY = "When to stop or what to avoid."
EXERCISE_HOW_TO = "How to do it, step by step."
PLAN_SUMMARY = "One sentence on who this plan is for and what it leads to."
PLAN_INTRO = "How to fit these weeks around your running, and what to do when you miss a session."
PLACEHOLDERS = (POST_SUMMARY, POST_INTRO, POST_LINK_TIP, EXERCISE_CUE, EXERCISE_SAFETY, EXERCISE_HOW_TO,
                PLAN_SUMMARY, PLAN_INTRO)


def new_post(root: Path, title: str, today: datetime.date) -> Path:
    """Write `content/posts/<today>-<slug>.md` as a draft; return its path."""
    config, problems = load_config(root)
    if problems:
        raise BuildFailed(problems)
    slug = _slug(title, "post")
    path = root / "content" / "posts" / f"{today.isoformat()}-{slug}.md"
    series = f"series: {_quoted(config.series[0])}\n" if config.series else ""
    moves = sorted(p.stem for p in (root / "exercises").glob("*.md"))[:2]
    routine = ""
    if moves:
        lines = "\n".join(f"  - {move}: 3 x 10" for move in moves)
        routine = (f"\n```routine\ntitle: Main set\nrounds: 2\nrest: 60s\n"
                   "# rest_between_rounds: 2min   # after the last move of a round\n"
                   "# duration: 40min             # replaces the estimated time\n"
                   f"items:\n{lines}\n"
                   "  # - squat: 12-15             # reps alone are one set, as in a circuit\n"
                   "  #   alternatives: [wall-sit] # other moves a reader may do instead\n```\n")
    text = (
        f"---\ntitle: {_quoted(title)}\nsummary: {POST_SUMMARY}\n"
        f"{series}tags: []\ndraft: true\n"
        "# disclaimer: Extra safety text for this post, added to the site's.\n---\n"
        f"{POST_INTRO}\n{POST_LINK_TIP}\n"
        f"{routine}"
    )
    return _write_new(root, path, text)


def new_exercise(root: Path, name: str, today: datetime.date) -> Path:
    """Write `exercises/<slug>.md` with every field listed; return its path."""
    del today  # exercises are not dated
    path = root / "exercises" / f"{_slug(name, 'exercise')}.md"
    text = (
        f"---\nname: {_quoted(name)}\naliases: []\nmuscles: []\nsecondary_muscles: []\n"
        "equipment: []            # empty means body weight\nlevel: beginner\nunilateral: false\n"
        f"cues:\n  - {EXERCISE_CUE}\n"
        f"safety: {EXERCISE_SAFETY}\nhelps_with: []\nvariations: []\ncategory: strength\n"
        "# video: https://www.youtube.com/watch?v=...   # optional, http(s) only; loads only when asked\n"
        "# image: media/photo.jpg                       # optional, a file in content/media/\n"
        "# image_alt: What the picture shows            # required with an image\n"
        "# images: [{src: media/start.jpg, alt: …}]     # or several pictures (start, end) instead of image\n"
        "# credit: {author: Who made it, license: CC BY 4.0, source: https://example.org/}   # when not yours\n"
        "# source: {dataset: free-exercise-db, id: ...}   # written by `import`; leave it out\n"
        f"---\n{EXERCISE_HOW_TO}\n"
    )
    return _write_new(root, path, text)


def new_plan(root: Path, title: str, today: datetime.date) -> Path:
    """Write `content/plans/<slug>.md`: two weeks with every session form, using a post that has a routine."""
    path = root / "content" / "plans" / f"{_slug(title, 'plan')}.md"
    monday = today + datetime.timedelta(days=7 - today.weekday())
    post = _post_with_routine(root)
    wed = (f"      wed: strength {post}\n" if post else
           "      # wed: strength POST-SLUG          # a post's first routine; POST-SLUG/2 for its second\n")
    fri = f"      fri: {{strength: {post}, note: lighter loads}}\n" if post else ""
    text = (
        f"---\ntitle: {_quoted(title)}\nsummary: {PLAN_SUMMARY}\ntags: []\nstart: {monday.isoformat()}   # a Monday\n"
        "# race: {name: Spring Half, date: YYYY-MM-DD}   # instead of start: the plan ends on race day\n---\n"
        f"{PLAN_INTRO}\n\n```plan\nweeks:\n  - title: Build\n    days:              # mon … sun; a day not listed is rest\n"
        f"      tue: run easy 40min\n{wed}      thu: run intervals 6 x 800m\n{fri}"
        "      sat: [run recovery 20min, cross yoga 20min]\n"
        "      sun: {run: long, distance: 14km, note: conversational pace}\n"
        "  - title: Lighter week\n    deload: true        # or taper: true\n    days:\n"
        "      tue: run easy 30min\n      sun: run long 10km\n```\n"
    )
    return _write_new(root, path, text)


def _post_with_routine(root: Path) -> str | None:
    """The slug of the newest post with a routine block that is not a draft, if any."""
    for post in sorted((root / "content" / "posts").glob("*.md"), reverse=True):
        try:
            text = post.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "```routine" in text and "\ndraft: true" not in text:
            return post.stem[11:] if post.stem[:4].isdigit() else post.stem
    return None


def skeleton_warnings(source: SourceFile) -> list[Problem]:
    """A warning at each sentence of a `new` skeleton that is still in `source` as it was written."""
    found = []
    for number, line in enumerate(source.text.split("\n"), start=1):
        for sentence in PLACEHOLDERS:
            col = line.find(sentence)
            if col >= 0:
                found.append(as_warning(source.problem(
                    number, col + 1, "text from the `new` skeleton is still here",
                    "replace it with your own words, or delete the line")))
    return found


def _slug(title: str, what: str) -> str:
    slug = slugify(title)
    if slug == "untitled" and not title.strip():
        raise BuildFailed([Problem(f"new {what}", 1, 1, f"the {what} needs a title with letters or digits")])
    return slug


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_new(root: Path, path: Path, text: str) -> Path:
    if path.exists():
        shown = path.relative_to(root).as_posix()
        raise BuildFailed([Problem(shown, 1, 1, "file already exists; it was left as it is",
                                   "choose another title, or edit the existing file")])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path
