"""`import wordpress EXPORT.xml`: a WordPress export (WXR) as posts and pages of the blog.

Posts go to `content/posts/YYYY-MM-DD-slug.md`, pages to `content/pages/<slug>.md`, pictures found
in `--uploads` to `content/media/`. Each post keeps its old address (`redirect_from:`) and its
GUID (`feed_id:`). Files a person wrote or edited are never touched (importers/owned.py).
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from fitfocus.config import SLUG, load_config
from fitfocus.content.library import normalize
from fitfocus.content.validate import RESERVED
from fitfocus.importers.owned import KEPT, NEW, UPDATED, Planned, checksum_placeholder, plan_file, with_checksum, write_file
from fitfocus.importers.wordpress_html import Attachment, plain, to_markdown
from fitfocus.importers.wordpress_media import Uploads
from fitfocus.importers.wordpress_xml import Item, read_items
from fitfocus.problems import BuildFailed, Problem, SourceFile, as_warning

DRAFTS = ("draft", "pending", "private")
PUBLISHED = ("publish", "future")
_DEFAULT_CATEGORY = "uncategorized"


@dataclass
class Outcome:
    """What an import did (or, with --dry-run, would do)."""

    planned: list[Planned] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # warnings: items left out, and why
    left: list[Problem] = field(default_factory=list)  # warnings: files of the blog left as they are
    notes: list[Problem] = field(default_factory=list)  # other warnings (shortcodes, comments)
    pictures: int = 0  # pictures copied
    comments: int = 0  # comments in the export (not imported)

    def count(self, action: str, folder: str = "") -> int:
        """How many files (under `folder`, if given) get `action`."""
        return sum(1 for plan in self.planned if plan.action == action and folder in ("", plan.path.parent.name))


def import_wordpress(root: Path, export: Path, uploads: Path | None = None, dry_run: bool = False,
                     today: datetime.date | None = None) -> Outcome:
    """Import the WordPress export `export` into the blog at `root`; raise BuildFailed on bad input."""
    config, problems = load_config(root)
    if problems:
        raise BuildFailed(problems)
    shown = str(export)
    if uploads is not None and not uploads.is_dir():
        raise BuildFailed([Problem(str(uploads), 1, 1, "uploads folder not found",
                                   "give a copy of the blog's wp-content/uploads folder")])
    source = SourceFile(export, shown, _read_text(export, shown))
    base, items = read_items(source)
    outcome = Outcome()
    attachments = {item.id: Attachment(item.attachment_url, item.meta.get("_wp_attachment_image_alt") or item.title)
                   for item in items if item.kind == "attachment" and item.attachment_url}
    media = Uploads(uploads)
    series = {normalize(name): name for name in config.series}
    day = today or datetime.date.today()
    chosen: list[tuple[Item, str, Path]] = []
    taken: dict[tuple[str, str], str] = {}  # (kind, slug) -> the item of this export that took it
    for item in items:
        if item.kind not in ("post", "page"):
            continue
        outcome.comments += item.comments
        if item.status not in PUBLISHED + DRAFTS:
            outcome.skipped.append(as_warning(source.problem(
                item.line, item.col, f"skipped {item.kind} {item.id} `{item.title}`: its status is `{item.status}`",
                "only published, scheduled, draft, pending and private items are imported")))
            continue
        slug = make_slug(item.slug, item.title, item.id)
        if item.kind == "page" and slug in RESERVED:
            outcome.notes.append(as_warning(source.problem(
                item.line, item.col, f"page `{item.title}`: /{slug}/ is the site's own, so it is imported as "
                f"`{slug}-page`", "link to it as /" + slug + "-page/")))
            slug += "-page"
        folder = "content/posts" if item.kind == "post" else "content/pages"
        path = root / folder / (f"{_date(item.date, day).isoformat()}-{slug}.md" if item.kind == "post" else f"{slug}.md")
        clash = _clash(root, folder, slug, path) or (
            f"{item.kind} {taken[item.kind, slug]} of this export" if (item.kind, slug) in taken else None)
        if clash:
            outcome.skipped.append(as_warning(source.problem(
                item.line, item.col, f"skipped {item.kind} {item.id} `{item.title}`: `{slug}` is taken by {clash}",
                "the blog's file is kept; copy this one by hand under another slug if you want both")))
            continue
        taken[item.kind, slug] = item.id
        chosen.append((item, slug, path))
    relink = _relinker(chosen, base)
    page_slugs = {slug for item, slug, _ in chosen if item.kind == "page"} | \
        {path.stem for path in (root / "content" / "pages").glob("*.md")}
    for item, slug, path in chosen:
        date = _date(item.date, day)
        converted = to_markdown(item.content, media.picture, attachments, relink)
        for name in converted.unknown:
            outcome.notes.append(as_warning(source.problem(
                item.line, item.col, f"{item.kind} `{item.title}` uses the shortcode `[{name}]`, left as it is",
                f"edit {path.relative_to(root).as_posix()} to say in Markdown what it showed")))
        for src in converted.undescribed:
            outcome.notes.append(as_warning(source.problem(
                item.line, item.col, f"{item.kind} `{item.title}`: picture `{src}` has no alt text; its file name "
                "stands in", f"describe it in {path.relative_to(root).as_posix()}")))
        for number in converted.missing:
            outcome.notes.append(as_warning(source.problem(
                item.line, item.col, f"{item.kind} `{item.title}`: gallery picture {number} is not in the export",
                "export all content, media included, and run the import again")))
        cover = attachments.get(item.meta.get("_thumbnail_id", ""))
        cover_src = media.picture(cover.url) if cover else None
        redirect = old_path(item.link, base) if item.kind == "post" else None
        if redirect is not None and redirect.strip("/") in page_slugs | set(RESERVED) | {f"posts/{slug}"}:
            redirect = None  # the old address is a page of this site (or the post's own): nothing to redirect
        front = _front_matter(item, date, series, cover_src if cover_src and cover_src.startswith("media/") else None,
                              cover.alt if cover else "", redirect)
        outcome.planned.append(plan_file(path, with_checksum(front + "\n" + converted.markdown)))
    for plan in outcome.planned:
        if plan.action == KEPT:
            outcome.left.append(as_warning(Problem(plan.path.relative_to(root).as_posix(), 1, 1,
                                                   f"left as it is: {plan.reason}")))
    if outcome.comments:
        outcome.notes.append(as_warning(source.problem(
            1, 1, f"{outcome.comments} comment{'' if outcome.comments == 1 else 's'} not imported",
            "the site has no comments; keep the export if you want them later")))
    copies = []
    for target, picture in sorted(media.copies.items()):
        destination = root / "content" / target
        if not destination.exists():
            copies.append((picture, destination))
        elif destination.read_bytes() != picture.read_bytes():
            outcome.left.append(as_warning(Problem(f"content/{target}", 1, 1,
                                                   "left as it is: a different picture is there")))
    outcome.pictures = len(copies)
    if not dry_run:
        for picture, destination in copies:
            write_file(destination, picture.read_bytes())
        for plan in outcome.planned:
            if plan.action in (NEW, UPDATED):
                write_file(plan.path, plan.text.encode("utf-8"))
    return outcome


def make_slug(name: str, title: str, identifier: str) -> str:
    """A valid slug from WordPress's `post_name` (percent-encoded), else from the title, else `post-ID`."""
    for written in (unquote(name), title):
        ascii_text = unicodedata.normalize("NFKD", written).encode("ascii", "ignore").decode("ascii")
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
        if slug and SLUG.match(slug):
            return slug
    return f"post-{re.sub(r'[^0-9a-z]+', '', identifier.lower()) or '0'}"


def old_path(link: str, base: str = "") -> str | None:
    """The site path of a post's old permalink (`/2019/03/14/slug/`), taken inside the old blog's
    address `base`, or None when it has none (`?p=12`)."""
    parts = urlsplit(link.strip())
    path = unquote(parts.path)
    prefix = unquote(urlsplit(base).path).rstrip("/")
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix):]
    if not path.strip("/") or parts.query or ".." in path.split("/") or any(c.isspace() for c in path):
        return None
    return path if path.startswith("/") else "/" + path


def _front_matter(item: Item, date: datetime.date, series_names: dict[str, str], cover: str | None,
                  cover_alt: str, redirect: str | None) -> str:
    q = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731 - a JSON string is safe YAML
    lines = ["---", f"title: {q(item.title or 'Untitled')}"]
    if item.kind == "post":
        lines.append(f"date: {date.isoformat()}")
    summary = plain(item.excerpt)
    if summary:
        lines.append(f"summary: {q(summary)}")
    series, tags = None, []
    for domain, nicename, name in item.categories:
        key = normalize(name) or normalize(nicename)
        if domain == "category" and key in series_names and series is None and item.kind == "post":
            series = series_names[key]
        elif domain in ("category", "post_tag") and normalize(name) and key != _DEFAULT_CATEGORY:
            tags.append(" ".join(name.split()))
    if item.kind == "post":
        if series:
            lines.append(f"series: {q(series)}")
        tags = list(dict.fromkeys(tags))
        if tags:
            lines.append(f"tags: [{', '.join(q(tag) for tag in tags)}]")
    if item.status in DRAFTS:
        lines.append("draft: true")
    if item.kind == "post" and cover:
        lines += [f"image: {q(cover)}", f"image_alt: {q(cover_alt or item.title)}"]
    if redirect:
        lines.append(f"redirect_from: [{q(redirect)}]")
    if item.kind == "post" and item.guid:
        lines.append(f"feed_id: {q(item.guid)}")
    lines += [f"# imported from WordPress, item {item.id}; {checksum_placeholder()}", "---"]
    return "\n".join(lines) + "\n"


def _relinker(chosen: list[tuple[Item, str, Path]], base: str) -> Callable[[str], str | None]:
    """Links to the old blog's published posts and pages (full or from `/`), as links to them on this site."""
    targets: dict[str, str] = {}
    for item, slug, _ in chosen:
        if item.status not in PUBLISHED:
            continue  # a draft is not part of a build: a link to it stays a link to the old blog
        target = f"post:{slug}" if item.kind == "post" else f"/{slug}/"
        for address in (item.link, item.guid):
            if address:
                targets[_link_key(address)] = target

    home = urlsplit(base)

    def relink(url: str) -> str | None:
        if url.startswith("/") and not url.startswith("//") and home.netloc:
            url = f"{home.scheme}://{home.netloc}{url}"
        return targets.get(_link_key(url)) if urlsplit(url).scheme in ("http", "https") else None
    return relink


def _link_key(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower().removeprefix('www.')}{unquote(parts.path).rstrip('/')}?{parts.query}"


def _clash(root: Path, folder: str, slug: str, path: Path) -> str | None:
    """The file of the blog that already has `slug` (not the one this import would write)."""
    directory = root / folder
    if not directory.is_dir():
        return None
    for existing in sorted(directory.glob("*.md")):
        stem = existing.stem
        has = stem == slug or (folder == "content/posts" and re.fullmatch(rf"\d{{4}}-\d{{2}}-\d{{2}}-{re.escape(slug)}", stem))
        if has and existing != path:
            return existing.relative_to(root).as_posix()
    return None


def _date(written: str, today: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(written[:10])
    except ValueError:  # a draft that was never dated: 0000-00-00 00:00:00
        return today


def _read_text(path: Path, shown: str) -> str:
    try:
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except FileNotFoundError:
        raise BuildFailed([Problem(shown, 1, 1, "export file not found",
                                   "give the .xml file WordPress made under Tools → Export")]) from None
    except UnicodeDecodeError:
        raise BuildFailed([Problem(shown, 1, 1, "file is not UTF-8 text", "WordPress exports are UTF-8")]) from None
    except OSError as error:
        raise BuildFailed([Problem(shown, 1, 1, f"cannot be read ({error.strerror})")]) from None
