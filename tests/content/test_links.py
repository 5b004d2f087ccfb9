"""Links and images in a body: every Markdown syntax for them goes through the same checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitfocus.content.links import allowed_link, link_scheme, media_name, scan_body
from fitfocus.problems import Problem, SourceFile

MEDIA = frozenset({"media/squat.jpg", "media/my photo.jpg"})


def scan(text: str) -> tuple[list[str], list[tuple[str, str]], list[tuple[int, int, str, str | None]]]:
    """The links, the images (src, alt) and the problems (line, col, message, hint) of a body at line 1."""
    source = SourceFile(Path("content/pages/a.md"), "content/pages/a.md", text)
    problems: list[Problem] = []
    body = scan_body(source, text, 1, MEDIA, problems, allow_routines=True)
    return ([link.name for link in body.links], [(image.src, image.alt) for image in body.images],
            [(p.line, p.col, p.message, p.hint) for p in problems])


@pytest.mark.parametrize("src", ["media/missing.png", "../../../etc/passwd"])
def test_reference_images_are_checked_where_their_target_is_written(src: str) -> None:
    links, images, problems = scan(f"See ![a squat][c].\n\n[c]: {src}\n")
    assert images == [(src, "a squat")]
    message = f"image `{src}` not found" if src.startswith("media/") else f"image `{src}` must be a file under content/media/"
    assert [p[:3] for p in problems] == [(3, 6, message)]


@pytest.mark.parametrize("text", ["![][c]", "![] [c]", "![c][]", "![c]"])
def test_every_form_of_reference_image_is_found(text: str) -> None:
    _, images, problems = scan(f"{text}\n\n[C]: media/squat.jpg\n")
    alt = "c" if text.startswith("![c]") else ""
    assert images == [("media/squat.jpg", alt)]
    assert [p[2] for p in problems] == ([] if alt else ["image has no alt text"])


def test_an_undefined_reference_is_no_image() -> None:
    assert scan("![a squat] and ![b][none]\n") == ([], [], [])


def test_site_autolinks_are_links_like_inline_ones() -> None:
    links, _, problems = scan("Try <exercise:sqat> or [this](<exercise:squat>), then <post:legs#end>.\n")
    assert (sorted(links), problems) == (["exercise:sqat", "exercise:squat", "post:legs#end"], [])


def test_autolinks_in_code_are_not_links() -> None:
    assert scan("`<exercise:sqat>`\n\n```\n<post:x>\n```\n") == ([], [], [])


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)",
                                    "data:text/html,<b>x</b>", "&#106;avascript:alert(1)", "java&#x09;script:x",
                                    "file:///etc/passwd"])
def test_links_with_other_schemes_are_errors(target: str) -> None:
    scheme = link_scheme(target)
    for text, col in ((f"[x]({target})\n", 5), (f"[x][c]\n\n[c]: {target}\n", 6), (f"[x](<{target}>)\n", 6)):
        _, _, problems = scan(text)
        line = 3 if "[c]:" in text else 1
        assert problems == [(line, col, f"`{scheme}:` links are not allowed in Markdown",
                             "link with https://, mailto: or tel:, a path on this site such as /about/, "
                             "or exercise:<slug> and post:<slug>")]


@pytest.mark.parametrize("target", ["https://example.org/", "http://x.org", "mailto:a@b.org", "tel:+4412345",
                                    "/about/", "#cues", "notes.html", "../up/", "exercise:squat", "post:legs"])
def test_web_mail_phone_and_site_links_are_allowed(target: str) -> None:
    assert allowed_link(target)
    assert scan(f"[x]({target})\n")[2] == []


def test_images_with_a_scheme_are_errors() -> None:
    assert scan("![a](data:image/png;base64,AAAA)\n")[2] == [
        (1, 6, "image `data:image/png;base64,AAAA` must be a file under content/media/", "write its path as `media/<file>`")]


def test_site_links_are_written_in_lowercase() -> None:
    assert scan("[x](Exercise:squat)\n")[2] == [(1, 5, "write `exercise:` links in lowercase", "`exercise:<slug>`")]


@pytest.mark.parametrize("text", ["![a](media/my%20photo.jpg)", "![a](<media/my photo.jpg>)"])
def test_a_media_file_with_a_space_can_be_named_either_way(text: str) -> None:
    assert scan(text + "\n")[2] == []
    assert media_name(text[5:].strip("<>)")) == "media/my photo.jpg"


@pytest.mark.parametrize(("text", "where", "col"), [
    ("> ```routine", "a blockquote", 3), ("- ```routine", "a list", 3), ("1. ```routine", "a list", 4),
    ("    ```routine", "an indented block", 5)])
def test_a_routine_fence_markdown_would_not_see_is_an_error(text: str, where: str, col: int) -> None:
    _, _, problems = scan(f"Intro.\n\n{text}\n> title: x\n> ```\n")
    assert problems == [(3, col, f"a routine block inside {where} is not read",
                         "start the ```routine fence at the beginning of a line, outside quotes and lists")]


@pytest.mark.parametrize(("text", "line", "col"), [("[x](\njavascript:alert(1))\n", 2, 1),
                                                    ("[x][c]\n\n[c]:\n  javascript:alert(1)\n", 4, 3)])
def test_a_target_on_the_next_line_is_checked_too(text: str, line: int, col: int) -> None:
    assert [p[:3] for p in scan(text)[2]] == [(line, col, "`javascript:` links are not allowed in Markdown")]


def test_an_image_whose_alt_spans_two_lines_is_still_an_image() -> None:
    assert scan("![a\nsquat](media/missing.png)\n")[1:] == (
        [("media/missing.png", "a\nsquat")], [(2, 8, "image `media/missing.png` not found", "put the file at content/media/missing.png")])
