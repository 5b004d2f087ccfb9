"""Checking: every reference between files, once everything is loaded. Reads, never changes."""

from __future__ import annotations

from fitfocus.content.library import Library, normalize, resolve_name, slugify
from fitfocus.content.plan_checks import check_plans
from fitfocus.content.model import Body, Content, Exercise, Location, Post, Ref
from fitfocus.problems import Problem, SourceFile, as_warning, did_you_mean

_SAME_NAME_HINT = "names that differ only in case and punctuation are the same name; give each exercise its own"

# Top-level URL segments the site itself uses; a standalone page may not take one.
RESERVED = ("posts", "exercises", "cards", "plans", "series", "tags", "page", "media", "static",
            "feed.xml", "sitemap.xml", "robots.txt", "404.html", "index.html")


def check(content: Content, library: Library) -> list[Problem]:
    """Return every problem with references, names and URLs in `content`."""
    problems: list[Problem] = []
    broken = content.broken
    _check_names(content, library, problems)
    _check_urls(content, problems)
    _check_series(library, problems)
    for exercise in content.exercises:
        for variation in exercise.variations:
            target = _resolve_exercise(variation, library, broken, problems, "variation")
            if target is not None and target.slug == exercise.slug:
                problems.append(variation.at.problem(f"`{exercise.slug}` lists itself as a variation"))
        _check_links(exercise.body, library, broken, problems, published_only=True)
    for post in content.posts:
        problems.extend(check_post(post, library, broken))
    for page in content.pages:
        _check_links(page.body, library, broken, problems, published_only=True)
    for plan in content.plans:
        _check_links(plan.body, library, broken, problems, published_only=True)
    problems.extend(check_plans(content.plans, library, broken))
    return problems


def check_post(post: Post, library: Library, broken: frozenset[str]) -> list[Problem]:
    """The problems `check` finds in one post."""
    return _check_post(post, library.is_published(post), library, broken)


def _check_post(post: Post, published: bool, library: Library, broken: frozenset[str]) -> list[Problem]:
    problems: list[Problem] = []
    for routine in post.body.routines:
        for item in routine.items:
            move = _resolve_exercise(item.exercise, library, broken, problems, "exercise")
            if move is not None and not move.body.text.strip():
                problems.append(as_warning(item.exercise.at.problem(
                    f"`{move.slug}` has no how-to text: readers of this routine get no instructions",
                    f"write how to do it below the front matter of {move.at.path}")))
            for alternative in item.alternatives:
                _resolve_exercise(alternative, library, broken, problems, "alternative")
    _check_links(post.body, library, broken, problems, published_only=published)
    if post.series is not None and post.series.name not in library.config.series:
        guess = did_you_mean(post.series.name, library.config.series)
        known = ", ".join(f'"{name}"' for name in library.config.series) or "none yet"
        hint = guess or f'known series: {known}; add it to `series` under [tool.fitfocus] in pyproject.toml'
        problems.append(post.series.at.problem(f"unknown series `{post.series.name}`", hint))
    return problems


def _check_names(content: Content, library: Library, problems: list[Problem]) -> None:
    owners: dict[str, tuple[str, str]] = {}  # normalized name -> (slug, what claims it)
    for exercise in sorted(content.exercises, key=lambda e: e.slug):
        owners[exercise.slug] = (exercise.slug, f"the slug of {exercise.at.path}")
    for exercise in sorted(content.exercises, key=lambda e: e.slug):
        for alias in exercise.aliases:
            key = normalize(alias.name)
            owner = owners.get(key)
            if owner is not None and owner[0] != exercise.slug:
                problems.append(alias.at.problem(f"alias `{alias.name}` is already {owner[1]}",
                                                 "each alias must point to one exercise; remove or change it"))
            elif not key:
                problems.append(alias.at.problem(f"alias `{alias.name}` has no letters or digits"))
            else:
                owners.setdefault(key, (exercise.slug, f"an alias of {exercise.at.path}"))
    names: dict[str, tuple[str, str]] = {}  # normalized name -> (file, name as written)
    for exercise in sorted(content.exercises, key=lambda e: e.slug):
        # Posts find an exercise by its name folded like a slug, so names that differ only in
        # case and punctuation (`Hip Thrust`, `hip-thrust!`) are one name.
        key = normalize(exercise.name)
        owner = owners.get(key)
        if owner is not None and owner[0] != exercise.slug:
            problems.append(exercise.at.problem(f"exercise name `{exercise.name}` is already {owner[1]}",
                                                _SAME_NAME_HINT))
        elif key in names:
            path, written = names[key]
            same = written == exercise.name
            spelled = "" if same else f" (as `{written}`)"
            problems.append(exercise.at.problem(f"exercise name `{exercise.name}` is also used by {path}{spelled}",
                                                "give each exercise its own name" if same else _SAME_NAME_HINT))
        else:
            names[key] = (exercise.at.path, exercise.name)


def _check_series(library: Library, problems: list[Problem]) -> None:
    """Two series whose names make the same URL would merge into one page: both places are named."""
    first: dict[str, str] = {}
    for name in library.config.series:
        other = first.setdefault(slugify(name), name)
        if other != name:
            problems.append(_settings_problem(
                library, name, f"series `{name}` and `{other}` would share the page /series/{slugify(name)}/",
                f'series names that differ only in case and punctuation are one series; keep one of "{other}" '
                f'and "{name}"'))


def _settings_problem(library: Library, name: str, message: str, hint: str) -> Problem:
    """A problem at the place `name` is written in pyproject.toml (TOML readers give no positions)."""
    path = library.config.root / "pyproject.toml"
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    source = SourceFile(path, "pyproject.toml", text)
    for number, line in enumerate(source.lines, start=1):
        col = line.find(f'"{name}"')
        if col >= 0 and not line.lstrip().startswith("#"):
            return source.problem(number, col + 1, message, hint)
    return source.problem(1, 1, message, hint)


def _check_urls(content: Content, problems: list[Problem]) -> None:
    posts: dict[str, str] = {}
    for post in sorted(content.posts, key=lambda p: p.at.path):
        if post.slug in posts:
            problems.append(post.at.problem(f"post slug `{post.slug}` is also used by {posts[post.slug]}",
                                            "two posts cannot share /posts/<slug>/; rename one or set `slug:`"))
        posts.setdefault(post.slug, post.at.path)
    pages: dict[str, str] = {}
    for page in sorted(content.pages, key=lambda p: p.at.path):
        if page.slug in RESERVED:
            problems.append(page.at.problem(f"page `{page.slug}` would replace the site's own /{page.slug}/",
                                            f"choose another slug; reserved: {', '.join(RESERVED)}"))
        elif page.slug in pages:
            problems.append(page.at.problem(f"page slug `{page.slug}` is also used by {pages[page.slug]}",
                                            "two pages cannot share one URL; rename one or set `slug:`"))
        pages.setdefault(page.slug, page.at.path)


def _resolve_exercise(ref: Ref, library: Library, broken: frozenset[str], problems: list[Problem],
                      noun: str) -> Exercise | None:
    found = library.find_exercise(ref.name)
    meanings = resolve_name(library.names, ref.name)
    if found is None and len(meanings) > 1:
        slugs = " or ".join(f"`{slug}`" for slug in meanings)
        problems.append(ref.at.problem(f"`{ref.name}` could mean {slugs}", "write the slug of the one you mean"))
    elif found is None and f"exercise:{normalize(ref.name)}" not in broken:
        problems.append(ref.at.problem(f"unknown {noun} `{ref.name}`", _exercise_hint(ref.name, library)))
    return found


def _exercise_hint(written: str, library: Library) -> str:
    key = normalize(written)
    guess = did_you_mean(key, library.names)
    if guess is not None:
        closest = guess.removeprefix("did you mean `").removesuffix("`?")
        return f"did you mean `{library.names[closest]}`?"
    return f"add exercises/{key or 'name'}.md, or use one of the slugs in exercises/"


def _check_links(body: Body, library: Library, broken: frozenset[str], problems: list[Problem],
                 published_only: bool) -> None:
    for link in body.links:
        kind, _, target = link.name.partition(":")
        target = target.split("#", 1)[0]  # `exercise:squat#fit-cues` links into the page
        ref = Ref(target, _shift(link.at, len(kind) + 1))
        if not target:
            problems.append(link.at.problem(f"`{kind}:` link has no slug", f"write `{kind}:<slug>`"))
        elif kind == "exercise":
            _resolve_exercise(ref, library, broken, problems, "exercise")
        else:
            post = library.find_post(target)
            if post is None and f"post:{normalize(target)}" in broken:
                continue
            if post is None:
                guess = did_you_mean(normalize(target), library.posts_by_slug)
                problems.append(ref.at.problem(f"unknown post `{target}`",
                                               guess or "post slugs are file names without the date and `.md`"))
            elif published_only and not library.is_published(post):
                if post.draft:
                    problems.append(ref.at.problem(f"post `{target}` is a draft and not part of this build",
                                                   f"remove `draft: true` from {post.at.path}, or build with --drafts"))
                else:
                    problems.append(ref.at.problem(
                        f"post `{target}` is scheduled for {post.date.isoformat()} and not part of this build",
                        "link to it once it is published, or build with --future"))


def _shift(at: Location, columns: int) -> Location:
    return Location(at.path, at.line, at.col + columns, at.source_line)
