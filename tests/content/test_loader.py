"""Loading files into records: front matter positions, encodings, YAML traps, dates and slugs."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from fitfocus.config import Config
from fitfocus.content.loader import load_content

TODAY = datetime.date(2026, 12, 1)


def load(tmp_path: Path, files: dict[str, str | bytes]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    loaded = load_content(Config(root=tmp_path), TODAY)
    return loaded.content, loaded.problems


def test_front_matter_problem_has_the_file_line_of_the_key(tmp_path: Path) -> None:
    _, problems = load(tmp_path, {"content/posts/2026-01-01-a.md": "---\ntitle: A\n\ntitel: B\n---\nBody\n"})
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in problems] == [
        ("content/posts/2026-01-01-a.md", 4, 1, "unknown key `titel` in a post", "did you mean `title`?")]


def test_body_problem_has_the_file_line_and_column(tmp_path: Path) -> None:
    text = "---\ntitle: A\n---\n\nSee ![](media/x.jpg) here.\n"
    _, problems = load(tmp_path, {"content/posts/2026-01-01-a.md": text})
    assert [(p.line, p.col, p.message) for p in problems] == [
        (5, 5, "image has no alt text"), (5, 9, "image `media/x.jpg` not found")]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    content, problems = load(tmp_path, {"content/posts/2026-01-01-a.md": b"\xef\xbb\xbf---\r\ntitle: A\r\n---\r\nHi\r\n"})
    assert problems == []
    assert content.posts[0].title == "A" and content.posts[0].body.text == "Hi\n"


def test_non_utf8_file_is_reported_at_the_bad_byte(tmp_path: Path) -> None:
    _, problems = load(tmp_path, {"exercises/squat.md": b"---\nname: Squat\nmuscles: [gl\xfftes]\n---\n"})
    assert [(p.line, p.col, p.message) for p in problems] == [(3, 13, "file is not UTF-8 text (byte 0xff)")]


def test_yaml_11_values_stay_as_written(tmp_path: Path) -> None:
    content, problems = load(tmp_path, {
        "content/posts/2026-01-01-a.md": "---\ntitle: 2026-01-01\nsummary: no\ntags: [on, 0310, 1:30]\n---\n"})
    assert problems == []
    post = content.posts[0]
    assert (post.title, post.summary, post.tags) == ("2026-01-01", "no", ("on", "0310", "1:30"))


def test_date_and_slug_come_from_the_file_name_unless_overridden(tmp_path: Path) -> None:
    content, problems = load(tmp_path, {
        "content/posts/2026-02-03-easy-run.md": "---\ntitle: A\n---\n",
        "content/posts/2026-02-04-x.md": "---\ntitle: B\ndate: 2026-03-01 07:30\nslug: hill-day\n---\n",
        "content/posts/undated.md": "---\ntitle: C\ndate: 2026-04-05\n---\n",
    })
    assert problems == []
    assert [(p.slug, p.date) for p in content.posts] == [
        ("easy-run", datetime.date(2026, 2, 3)), ("hill-day", datetime.date(2026, 3, 1)),
        ("undated", datetime.date(2026, 4, 5))]


def test_post_after_today_is_scheduled(tmp_path: Path) -> None:
    content, _ = load(tmp_path, {"content/posts/2027-01-01-later.md": "---\ntitle: Later\n---\n"})
    assert content.posts[0].scheduled is True


def test_exercise_reads_every_field(tmp_path: Path) -> None:
    text = """---
name: Single-Leg Deadlift
aliases: [single leg dead lift, SLDL]
muscles: [hamstrings, glutes]
secondary_muscles: [core]
equipment: [dumbbell]
level: intermediate
unilateral: yes
video: https://www.youtube.com/watch?v=abc
cues:
  - Hinge from the hips.
  - Square shoulders.
safety: Go slowly.
helps_with: [shin-splints]
variations: [deadlift]
credit: {author: Ann, license: CC BY 4.0, source: https://example.org/}
---
How to.
"""
    content, problems = load(tmp_path, {"exercises/single-leg-deadlift.md": text})
    assert problems == []
    e = content.exercises[0]
    assert (e.slug, e.name, [a.name for a in e.aliases]) == ("single-leg-deadlift", "Single-Leg Deadlift",
                                                              ["single leg dead lift", "SLDL"])
    assert (e.muscles, e.secondary_muscles, e.equipment, e.level) == (("hamstrings", "glutes"), ("core",),
                                                                     ("dumbbell",), "intermediate")
    assert (e.unilateral, e.video, e.cues, e.safety) == (True, "https://www.youtube.com/watch?v=abc",
                                                         ("Hinge from the hips.", "Square shoulders."), "Go slowly.")
    assert e.helps_with == ("shin-splints",) and e.variations[0].name == "deadlift"
    assert (e.credit.author, e.credit.license, e.credit.source) == ("Ann", "CC BY 4.0", "https://example.org/")


def test_unknown_muscle_suggests_the_closest(tmp_path: Path) -> None:
    _, problems = load(tmp_path, {"exercises/a.md": "---\nname: A\nmuscles: [glute, Lower Back]\n---\n"})
    assert [(p.col, p.message, p.hint) for p in problems] == [
        (11, "unknown muscle `glute` in `muscles`", "did you mean `glutes`?"),
        (18, "unknown muscle `Lower Back` in `muscles`", "did you mean `lower-back`?")]


def test_settings_extend_the_vocabulary(tmp_path: Path) -> None:
    from fitfocus.content.vocabulary import Vocabulary

    config = Config(root=tmp_path, vocabulary=Vocabulary(equipment=("sandbag",)))
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises/a.md").write_text("---\nname: A\nequipment: [sandbag]\n---\n")
    loaded = load_content(config, TODAY)
    content, problems = loaded.content, loaded.problems
    assert problems == [] and content.exercises[0].equipment == ("sandbag",)


def test_only_web_urls_are_accepted_for_videos(tmp_path: Path) -> None:
    _, problems = load(tmp_path, {"exercises/a.md": "---\nname: A\nvideo: javascript:alert(1)\n---\n"})
    assert problems[0].message == "video URL `javascript:alert(1)` must start with http:// or https://"


def test_editor_backup_and_hidden_files_are_ignored(tmp_path: Path) -> None:
    content, problems = load(tmp_path, {"exercises/.#a.md": "garbage", "exercises/notes.txt": "x",
                                        "exercises/a.md": "---\nname: A\n---\n"})
    assert problems == [] and [e.slug for e in content.exercises] == ["a"]


def located(problems) -> list[tuple[str, int, int, str, str | None]]:
    return [(p.path, p.line, p.col, p.message, p.hint) for p in problems]


POST = "---\ntitle: A\n---\nBody\n"


def test_a_media_link_out_of_the_project_is_refused_and_not_listed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    root = tmp_path / "blog"
    (root / "content/media").mkdir(parents=True)
    (root / "content/media/squat.jpg").write_bytes(b"jpg")
    (root / "content/media/passwd.txt").symlink_to(outside)
    (root / "content/media/inside.jpg").symlink_to(root / "content/media/squat.jpg")
    (root / "content/media/elsewhere").symlink_to(tmp_path, target_is_directory=True)
    content, problems = load(root, {})
    assert content.media == frozenset({"media/squat.jpg", "media/inside.jpg"})
    hint = "copy the file into the project instead of linking to it; it is not published"
    assert located(problems) == [
        ("content/media/elsewhere", 1, 1, f"`content/media/elsewhere` is a symbolic link to `{tmp_path}`, outside the project", hint),
        ("content/media/passwd.txt", 1, 1, f"`content/media/passwd.txt` is a symbolic link to `{outside}`, outside the project", hint)]


def test_a_broken_link_is_reported_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "content/media").mkdir(parents=True)
    (tmp_path / "content/media/gone.jpg").symlink_to("nothing.jpg")
    _, problems = load(tmp_path, {})
    assert located(problems) == [("content/media/gone.jpg", 1, 1, "`content/media/gone.jpg` is a broken symbolic link to `nothing.jpg`",
                                  "remove the broken link, or point it at a file that exists")]


def test_a_markdown_link_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(POST)
    root = tmp_path / "blog"
    (root / "content/posts").mkdir(parents=True)
    (root / "content/posts/2026-01-01-a.md").symlink_to(outside)
    (root / "content/posts/2026-01-02-b.md").symlink_to("nowhere.md")
    content, problems = load(root, {})
    assert content.posts == ()
    assert [p.message for p in problems] == [
        f"`content/posts/2026-01-01-a.md` is a symbolic link to `{outside}`, outside the project",
        "`content/posts/2026-01-02-b.md` is a broken symbolic link to `nowhere.md`"]


@pytest.mark.parametrize(("name", "stem"), [("2026-01-01-a.MD", "2026-01-01-a"), ("2026-01-01-a.markdown", "2026-01-01-a"),
                                            ("2026-01-01-a.Md", "2026-01-01-a")])
def test_a_post_saved_with_another_ending_is_reported(tmp_path: Path, name: str, stem: str) -> None:
    content, problems = load(tmp_path, {f"content/posts/{name}": POST})
    assert content.posts == ()
    assert located(problems) == [(f"content/posts/{name}", 1, 1, f"`content/posts/{name}` is not read: only `.md` files are",
                                  f"rename it to `{stem}.md`")]


def test_a_folder_named_like_a_post_is_reported(tmp_path: Path) -> None:
    _, problems = load(tmp_path, {"content/posts/2026-01-01-a/index.md": POST, "content/posts/drafts/notes.txt": "x"})
    assert located(problems) == [("content/posts/2026-01-01-a", 1, 1,
                                  "folder `content/posts/2026-01-01-a` is not read: a post or page is one file",
                                  "write it as the file content/posts/2026-01-01-a.md")]


def test_content_posts_as_a_file_is_an_error_not_an_empty_blog(tmp_path: Path) -> None:
    _, problems = load(tmp_path, {"content/posts": "oops"})
    assert located(problems) == [("content/posts", 1, 1, "`content/posts` is a file, not a folder",
                                  "rename the file and make content/posts/ a folder of Markdown files")]


def test_a_custom_domain_file_linked_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/CNAME").symlink_to("/etc/passwd")
    content, problems = load(tmp_path, {})
    assert content.cname is None
    assert [p.message for p in problems] == ["`content/CNAME` is a symbolic link to `/etc/passwd`, outside the project"]
